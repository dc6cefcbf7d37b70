package dev.owly.analytics.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed test guests ({@code owly-stub/*.wasm}) are exactly what their source in {@code
 * tests/stub/} builds to: the build script runs into a temporary directory and every module is
 * compared byte for byte. Needs cargo and the wasm32 target, like the rest of this build.
 */
class StubWasmTest {
  static final List<String> MODULES = List.of("owly_stub.wasm", "abi_test.wasm", "hostile.wasm");

  static Path stubDir() {
    return Path.of(System.getProperty("owly.stub.dir", "../tests/stub"));
  }

  @Test
  void everyCommittedTestGuestEqualsAFreshBuildOfItsSource(@TempDir Path out)
      throws IOException, InterruptedException {
    Path script = stubDir().resolve("build.sh").toAbsolutePath();
    assertTrue(Files.isRegularFile(script), "missing " + script);
    Process p =
        new ProcessBuilder("bash", script.toString(), out.toString())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    byte[] log = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "build did not finish");
    assertEquals(0, p.exitValue(), () -> new String(log, StandardCharsets.UTF_8));
    for (String module : MODULES) {
      assertArrayEquals(
          StubModule.bytes(module),
          Files.readAllBytes(out.resolve(module)),
          module + " differs from a fresh build of tests/stub: run `make stub-wasm` and commit");
    }
  }
}
