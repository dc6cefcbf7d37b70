package dev.owly.analytics.bench;

import dev.owly.analytics.api.Owly;
import dev.owly.analytics.core.Verdict;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.standalone.DataSources;
import dev.owly.analytics.storage.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
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
 * {@code Owly.record()} end to end (core filter, mode, storage append) against its floor: a plain
 * JDBC INSERT of the same row into the same table on the same pooled database, as a plugin author
 * would write it (autocommit, one statement). H2: a file database behind H2's connection pool, as
 * the standalone host uses; PostgreSQL: HikariCP on {@code OWLY_PG_URL} (required for that
 * parameter: the benchmark fails rather than skip). Sample mode, so the JSON has p50/p99.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RecordE2EBenchmark {
  static final String TENANT = "BNCH-0000-0000-0002";

  @Param({"H2", "POSTGRESQL"})
  public String db;

  @Param({"AOT"})
  public String engine;

  private Path dir;
  private DataSource dataSource;
  private AutoCloseable pool;
  private Owly owly;
  private final Map<String, Object> attributes =
      Map.of("tables", 3, "format", "csv", "rows", 120345, "duration_ms", 5400);
  private final long recordedAt = BenchCaps.NOW_MS / 1000;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    if (db.equals("H2")) {
      dir = Files.createTempDirectory("owly-bench-e2e");
      var h2 = DataSources.h2File(dir.resolve("instance"));
      dataSource = h2;
      pool = h2::dispose;
    } else {
      String url = System.getenv("OWLY_PG_URL");
      if (url == null) {
        throw new IllegalStateException("OWLY_PG_URL is not set (scripts/pg-start.sh)");
      }
      var hikari = DataSources.forUrl(url);
      dataSource = hikari;
      pool = hikari;
    }
    owly =
        Owly.builder(dataSource)
            .withServerId(TENANT)
            .withProductVersion("9.12.15")
            .withAppVersion("0.1.0-bench")
            .withMode(Mode.LOCAL)
            .withFlushInterval(Duration.ZERO)
            .withDrainTimeout(Duration.ZERO)
            .withEngine(dev.owly.analytics.core.Engine.valueOf(engine))
            .build();
    // Rows of an earlier run (PostgreSQL keeps its database) would only make the table bigger.
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM \"" + Schema.EVENT_TABLE + "\"");
    }
    Verdict v = owly.record("owly.export.finished", attributes);
    if (!v.accepted()) {
      throw new IllegalStateException("benchmark event rejected: " + v.rule());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    owly.close();
    pool.close();
  }

  @Benchmark
  public Verdict owlyRecord() {
    return owly.record("owly.export.finished", attributes);
  }

  @Benchmark
  public int jdbcInsert() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO \""
                    + Schema.EVENT_TABLE
                    + "\" (\"NAME\", \"TENANT\", \"PRODUCT_VERSION\", \"APP_VERSION\","
                    + " \"RECORDED_AT\", \"ATTRIBUTES\", \"STATE\") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      p.setString(1, "owly.export.finished");
      p.setString(2, TENANT);
      p.setString(3, "9.12.15");
      p.setString(4, "0.1.0-bench");
      p.setLong(5, recordedAt);
      p.setString(6, "{\"duration_ms\":5400,\"format\":\"csv\",\"rows\":120345,\"tables\":3}");
      p.setString(7, "pending");
      return p.executeUpdate();
    }
  }
}
