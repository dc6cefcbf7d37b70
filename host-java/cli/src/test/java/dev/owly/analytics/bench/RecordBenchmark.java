package dev.owly.analytics.bench;

import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.Engine;
import dev.owly.analytics.core.Verdict;
import dev.owly.analytics.spi.Mode;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** {@code record} of one catalogue event with attributes, storage excluded (no-op append). */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RecordBenchmark {
  @Param({"AOT", "INTERPRETER"})
  public Engine engine;

  private Core core;

  @Setup(Level.Trial)
  public void setUp() {
    core =
        Core.builder(BenchCaps.capabilities(0, Mode.REMOTE))
            .withEngine(engine)
            .withPoolSize(1)
            .build();
    if (!core.record(BenchCaps.EVENT).accepted()) {
      throw new IllegalStateException("benchmark event rejected");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    core.close();
  }

  @Benchmark
  public Verdict record() {
    return core.record(BenchCaps.EVENT);
  }
}
