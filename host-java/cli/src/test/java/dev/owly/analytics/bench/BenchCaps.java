package dev.owly.analytics.bench;

import dev.owly.analytics.spi.Batch;
import dev.owly.analytics.spi.Capabilities;
import dev.owly.analytics.spi.Config;
import dev.owly.analytics.spi.Entropy;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.NewBatch;
import dev.owly.analytics.spi.NewRow;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Row;
import dev.owly.analytics.spi.Settings;
import dev.owly.analytics.spi.Settlement;
import dev.owly.analytics.spi.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Capabilities that cost (almost) nothing, so a benchmark measures the core and the ABI. */
final class BenchCaps {
  private BenchCaps() {}

  static final String EVENT =
      "{\"name\":\"owly.export.finished\",\"attributes\":"
          + "{\"tables\":3,\"format\":\"csv\",\"rows\":120345,\"duration_ms\":5400}}";

  static final long NOW_MS = 1_739_434_004_000L;

  /** The rows every JVM flush benchmark encodes (the shape of the native criterion benchmark's). */
  static List<Row> rows(int rows) {
    List<Row> out = new ArrayList<>(rows);
    for (int i = 1; i <= rows; i++) {
      out.add(
          new Row(
              i,
              new NewRow(
                  "owly.export.finished",
                  "BWSN-B5B6-32P4-DDL7",
                  "9.12.15",
                  "0.9.9-b301041",
                  NOW_MS / 1000 - i,
                  "{\"duration_ms\":5400,\"format\":\"csv\",\"rows\":120345,\"tables\":3}")));
    }
    return List.copyOf(out);
  }

  /** Appends nothing; claim returns the same {@code pending} rows every time. */
  static final class FixedStorage implements Storage {
    private final AtomicLong ids = new AtomicLong();
    private final List<Row> pending;

    FixedStorage(int rows) {
      this.pending = rows(rows);
    }

    @Override
    public long append(NewRow row) {
      return ids.incrementAndGet();
    }

    @Override
    public List<Row> claim(int limit, long nowMs, long leaseUntilMs) {
      return pending.size() <= limit ? pending : pending.subList(0, limit);
    }

    @Override
    public List<Row> peek(int limit) {
      return claim(limit, 0, 0);
    }

    @Override
    public long seal(NewBatch batch) {
      return ids.incrementAndGet();
    }

    @Override
    public List<Batch> due(int limit, long nowMs, long leaseUntilMs) {
      return List.of();
    }

    @Override
    public void settle(long batchId, long nowMs, Settlement outcome) {}

    @Override
    public void quarantine(long[] rowIds, String rule) {}

    @Override
    public long purge(long beforeMs) {
      return 0;
    }
  }

  static Capabilities capabilities(int pendingRows, Mode mode) {
    Config config =
        new Config(
            mode,
            "BWSN-B5B6-32P4-DDL7",
            "9.12.15",
            "0.9.9-b301041",
            true,
            0,
            new Limits(0, 0, 0, 1, 0, 0, 0));
    byte[] secret = "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Settings settings =
        new Settings() {
          @Override
          public Config get() {
            return config;
          }

          @Override
          public byte[] secret() {
            return secret;
          }
        };
    return new Capabilities(
        new FixedStorage(pendingRows),
        body -> new Response(200, null),
        () -> NOW_MS,
        Entropy.secure(),
        settings,
        (level, code, counts) -> {});
  }
}
