package dev.owly.analytics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.spi.Config;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every golden vector of the wasmtime harness ({@code tests/golden/*.json}, written by
 * {@code tests/harness/tests/golden.rs}) through {@link Core} on both engines, with in-memory
 * capabilities, and asserts byte-identical bodies (engines: {@link TestCaps#engines}). Fails when
 * no golden file is found.
 */
@Tag("core")
@Tag("golden")
class GoldenParityTest {

  static Path goldenDir() {
    return Path.of(System.getProperty("owly.golden.dir", "../tests/golden"));
  }

  static List<Path> goldenFiles() throws IOException {
    if (!Files.isDirectory(goldenDir())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(goldenDir())) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  @Test
  void goldenVectorsExist() throws IOException {
    assertFalse(goldenFiles().isEmpty(), "no golden file under " + goldenDir().toAbsolutePath());
  }

  @TestFactory
  Stream<DynamicTest> everyGoldenBodyIsByteIdentical() throws IOException {
    return goldenFiles().stream()
        .flatMap(
            file ->
                TestCaps.engines().stream()
                    .map(
                        engine ->
                            DynamicTest.dynamicTest(
                                file.getFileName() + " on " + engine, () -> replay(file, engine))));
  }

  /** Replays one golden file on {@code engine}; returns the bodies sent (for EnginesTest). */
  static List<String> replay(Path file, Engine engine) throws IOException {
    return List.copyOf(session(file, engine).bodies);
  }

  /**
   * Records the golden events and flushes once on {@code engine}, asserting the bodies; returns the
   * capabilities with what was stored (the plain-Java baseline's test reads its rows).
   */
  static TestCaps session(Path file, Engine engine) throws IOException {
    Json.Obj g = (Json.Obj) Json.parse(Files.readString(file));
    Json.Obj cfg = g.obj("config");
    TestCaps caps = new TestCaps();
    caps.clockMs.set(g.num("clock_ms"));
    caps.entropy = HexFormat.of().parseHex(g.str("entropy_hex"));
    caps.secret = HexFormat.of().parseHex(g.str("secret_hex"));
    int maxBatchRows = cfg.has("max_batch_rows") ? (int) cfg.num("max_batch_rows") : 0;
    caps.config =
        new Config(
            Mode.valueOf(cfg.str("mode").toUpperCase(java.util.Locale.ROOT)),
            cfg.str("server_id"),
            cfg.str("product_version"),
            cfg.str("app_version"),
            cfg.bool("collector_configured"),
            (int) cfg.num("retention_days"),
            new Limits(maxBatchRows, 0, 0, 0, 0, 0, 0));
    try (Core core = Core.builder(caps.capabilities()).withEngine(engine).withPoolSize(1).build()) {
      for (Object e : g.arr("events")) {
        Verdict v = core.record((String) e);
        assertTrue(v.accepted(), "golden event rejected by " + v.rule());
      }
      FlushReport report = core.flush();
      assertEquals(0, report.failed() + report.retrying(), report.toString());
      assertEquals(g.arr("bodies"), caps.bodies, file.getFileName() + ": bodies differ");
    }
    return caps;
  }
}
