package dev.owly.analytics.bench;

import dev.owly.analytics.spi.Row;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The plain-Java baseline of {@link FlushEncodeBenchmark}: the same 500 rows to the same v1 body
 * ({@link PlainJavaV1}), without the core (no re-validation, no storage or transport calls).
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PlainJavaBenchmark {
  private final List<Row> rows = BenchCaps.rows(500);
  private final byte[] secret = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
  private long nonce = 7_407_367_046_465_089_664L;

  @Benchmark
  public String flush500() {
    return PlainJavaV1.body(rows, nonce++, secret, BenchCaps.NOW_MS / 1000);
  }
}
