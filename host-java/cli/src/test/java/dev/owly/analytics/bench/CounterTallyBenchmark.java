package dev.owly.analytics.bench;

import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.CounterTally;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.storage.CounterKind;
import dev.owly.analytics.storage.DailyCounters;
import dev.owly.analytics.storage.Schema;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcConnectionPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What counting adds to one {@code record}: the tally's in-memory update for a stored event (a name
 * that is a new string each time, as it comes out of guest memory), without the core call. Compare
 * with {@link RecordBenchmark}'s time per record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CounterTallyBenchmark {
  private Core core;
  private CounterTally tally;
  private JdbcConnectionPool db;
  private final char[] name = "owly.export.finished".toCharArray();

  @Setup(Level.Trial)
  public void setUp() {
    db = JdbcConnectionPool.create("jdbc:h2:mem:bench-tally;DB_CLOSE_DELAY=-1", "sa", "");
    Schema.migrate(db);
    core =
        Core.builder(BenchCaps.capabilities(0, Mode.REMOTE))
            .withPoolSize(1)
            .withCounters(new DailyCounters(db), Duration.ZERO)
            .build();
    tally = core.counters().orElseThrow();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    tally.discard();
    core.close();
    db.dispose();
  }

  @Benchmark
  public void countStoredEvent() {
    tally.count(CounterKind.ACCEPTED, new String(name), 1, 1_764_600_000_000L);
  }
}
