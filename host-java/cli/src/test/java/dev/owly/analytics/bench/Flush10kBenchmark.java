package dev.owly.analytics.bench;

import dev.owly.analytics.collector.Collector;
import dev.owly.analytics.collector.CollectorStore;
import dev.owly.analytics.collector.PayloadVerifier;
import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.FlushReport;
import dev.owly.analytics.settings.JdbcSettings;
import dev.owly.analytics.spi.Capabilities;
import dev.owly.analytics.spi.Clock;
import dev.owly.analytics.spi.Entropy;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.NewRow;
import dev.owly.analytics.standalone.DataSources;
import dev.owly.analytics.storage.JdbcStorage;
import dev.owly.analytics.transport.ConfiguredTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
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
 * The whole path on real parts: 10,000 pending rows in the instance database (H2 file or
 * PostgreSQL) flushed (claim, encode, seal, OCRA, HTTP POST, verify at the collector, settle) to
 * the reference collector on loopback. Single shot per iteration; the rows are re-inserted before
 * each one.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class Flush10kBenchmark {
  /** The instance database: an H2 file database, or PostgreSQL at {@code OWLY_PG_URL}. */
  @Param({"H2", "POSTGRESQL"})
  public String db;

  static final int ROWS = 10_000;
  static final String TENANT = "BNCH-0000-0000-0001";

  private Path dir;
  private DataSource instanceDb;
  private AutoCloseable instancePool;
  private JdbcConnectionPool collectorDb;
  private JdbcStorage storage;
  private Core core;
  private Collector collector;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("owly-bench");
    if (db.equals("H2")) {
      JdbcConnectionPool h2 = DataSources.h2File(dir.resolve("instance"));
      instanceDb = h2;
      instancePool = h2::dispose;
    } else {
      String url = System.getenv("OWLY_PG_URL");
      if (url == null) {
        throw new IllegalStateException("OWLY_PG_URL is not set (scripts/pg-start.sh)");
      }
      var hikari = DataSources.forUrl(url);
      instanceDb = hikari;
      instancePool = hikari;
    }
    collectorDb = DataSources.h2File(dir.resolve("collector"));
    storage = JdbcStorage.builder(instanceDb).withNodeId("bench").build();
    JdbcSettings settings =
        JdbcSettings.builder(instanceDb)
            .withServerId(TENANT)
            .withProductVersion("9.12.15")
            .withAppVersion("0.1.0-bench")
            .build();
    Capabilities caps =
        new Capabilities(
            storage,
            ConfiguredTransport.following(settings::collectorUrl),
            Clock.system(),
            Entropy.secure(),
            settings,
            (level, code, counts) -> {});
    // Two instances: the collector verifies with the same core while a flush holds one.
    core = Core.builder(caps).withPoolSize(2).build();
    collector =
        Collector.builder(PayloadVerifier.of(core), new CollectorStore(collectorDb))
            .withTenantSecret(TENANT, settings.secret())
            .start();
    settings.setCollectorUrl(collector.uri().toString());
    settings.setMode(Mode.REMOTE);
  }

  @Setup(Level.Iteration)
  public void fill() {
    storage.deleteAll();
    long now = System.currentTimeMillis() / 1000;
    for (int i = 0; i < ROWS; i++) {
      storage.append(
          new NewRow(
              "owly.export.finished",
              TENANT,
              "9.12.15",
              "0.1.0-bench",
              now,
              "{\"duration_ms\":5400,\"format\":\"csv\",\"rows\":" + i + ",\"tables\":3}"));
    }
  }

  @Benchmark
  public FlushReport flush10k() {
    FlushReport r = core.flush();
    if (r.rowsDelivered() != ROWS) {
      throw new IllegalStateException("delivered " + r.rowsDelivered() + " rows: " + r);
    }
    return r;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    collector.close();
    core.close();
    instancePool.close();
    collectorDb.dispose();
  }
}
