package dev.owly.analytics.bench;

import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.Engine;
import dev.owly.analytics.core.FlushReport;
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

/**
 * One flush of 500 pending rows in remote mode: claim, encode (JSON, base64, SHA-1), seal, OCRA,
 * send (no-op), settle. The storage hands out the same 500 rows each time.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FlushEncodeBenchmark {
  @Param({"AOT", "INTERPRETER"})
  public Engine engine;

  private Core core;

  @Setup(Level.Trial)
  public void setUp() {
    core =
        Core.builder(BenchCaps.capabilities(500, Mode.REMOTE))
            .withEngine(engine)
            .withPoolSize(1)
            .build();
    FlushReport r = core.flush();
    if (r.sealed() != 1 || r.rowsDelivered() != 500) {
      throw new IllegalStateException("unexpected flush: " + r);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    core.close();
  }

  @Benchmark
  public FlushReport flush500() {
    return core.flush();
  }
}
