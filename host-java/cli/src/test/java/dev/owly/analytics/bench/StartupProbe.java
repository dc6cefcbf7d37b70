package dev.owly.analytics.bench;

import dev.owly.analytics.api.Owly;
import dev.owly.analytics.core.Engine;
import dev.owly.analytics.core.Verdict;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.standalone.DataSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Start-up as a plugin sees it, in a fresh JVM (so nothing is warm): {@code Owly.build()} on a new
 * H2 file database (schema created, settings written, module loaded) and the first {@code record}.
 * Prints one JSON line. Run by {@code scripts/race.py}: {@code java -cp <cli test class path>
 * dev.owly.analytics.bench.StartupProbe AOT|INTERPRETER|GRAALWASM}.
 */
public final class StartupProbe {
  private StartupProbe() {}

  public static void main(String[] args) throws Exception {
    Engine engine = Engine.valueOf(args.length > 0 ? args[0] : "AOT");
    Path dir = Files.createTempDirectory("owly-startup");
    var pool = DataSources.h2File(dir.resolve("instance"));
    long t0 = System.nanoTime();
    Owly owly =
        Owly.builder(pool)
            .withServerId("BNCH-0000-0000-0003")
            .withProductVersion("9.12.15")
            .withAppVersion("0.1.0-bench")
            .withMode(Mode.LOCAL)
            .withFlushInterval(Duration.ZERO)
            .withDrainTimeout(Duration.ZERO)
            .withEngine(engine)
            .build();
    long t1 = System.nanoTime();
    Verdict v = owly.record("owly.export.finished", Map.of("format", "csv", "rows", 120345));
    long t2 = System.nanoTime();
    if (!v.accepted()) {
      throw new IllegalStateException("first record rejected: " + v.rule());
    }
    owly.close();
    pool.dispose();
    System.out.printf(
        "{\"engine\":\"%s\",\"build_ms\":%.1f,\"first_record_ms\":%.1f}%n",
        engine, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
  }
}
