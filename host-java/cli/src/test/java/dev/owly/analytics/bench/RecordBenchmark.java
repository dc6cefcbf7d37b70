package dev.owly.analytics.bench;

import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.Engine;
import dev.owly.analytics.core.Verdict;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.storage.DailyCounters;
import dev.owly.analytics.storage.Schema;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcConnectionPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code record} of one catalogue event with attributes, storage excluded (no-op append); with
 * {@code counters}, the host also counts it for the persisted counters (in memory; the write to the
 * in-memory H2 table happens on close only, so what is measured is the recording path).
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RecordBenchmark {
  @Param({"AOT", "INTERPRETER"})
  public Engine engine;

  @Param({"false", "true"})
  public boolean counters;

  private Core core;
  private JdbcConnectionPool db;

  @Setup(Level.Trial)
  public void setUp() {
    Core.Builder b =
        Core.builder(BenchCaps.capabilities(0, Mode.REMOTE)).withEngine(engine).withPoolSize(1);
    if (counters) {
      db = JdbcConnectionPool.create("jdbc:h2:mem:bench-counters;DB_CLOSE_DELAY=-1", "sa", "");
      Schema.migrate(db);
      b.withCounters(new DailyCounters(db), Duration.ZERO);
    }
    core = b.build();
    if (!core.record(BenchCaps.EVENT).accepted()) {
      throw new IllegalStateException("benchmark event rejected");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    core.close();
    if (db != null) {
      db.dispose();
    }
  }

  @Benchmark
  public Verdict record() {
    return core.record(BenchCaps.EVENT);
  }
}
