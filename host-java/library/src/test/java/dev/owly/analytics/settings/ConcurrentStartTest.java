package dev.owly.analytics.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.storage.JdbcStorage;
import dev.owly.analytics.storage.Pools;
import dev.owly.analytics.storage.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes starting at the same moment on a fresh database: every start (migration, settings writes as
 * {@code Owly.build()} makes them) succeeds. Threads with a pool each stand in for the nodes here;
 * the fault harness (tests/faults, scenarios cluster-pg and cluster-h2) starts real JVMs.
 */
class ConcurrentStartTest {
  static final int NODES = 8;
  static final int ROUNDS = 4;

  @TempDir Path dir;

  /** What {@code Owly.build()} writes, by every node at once. */
  static void start(DataSource ds, int node) {
    JdbcStorage.builder(ds).withNodeId("node-" + node).build();
    JdbcSettings s =
        JdbcSettings.builder(ds)
            .withServerId("FAKE-TEST-0000-0001")
            .withProductVersion("9.12.15")
            .withAppVersion("0.9.9-test")
            .build();
    s.setCollectorUrl("https://collector.invalid/collect");
    s.setLimits(new Limits(50, 0, 0, 0, 0, 1000, 4000));
    s.initMode(Mode.REMOTE);
    s.secret();
    s.get();
  }

  static List<String> startTogether(IntFunction<DataSource> dataSourceOfNode) throws Exception {
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(NODES);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int n = 0; n < NODES; n++) {
        int node = n;
        DataSource ds = dataSourceOfNode.apply(node);
        done.add(
            threads.submit(
                () -> {
                  go.await();
                  try {
                    start(ds, node);
                  } catch (RuntimeException e) {
                    failures.add(
                        e.getMessage() + (e.getCause() == null ? "" : " <- " + e.getCause()));
                  } finally {
                    if (ds instanceof HikariDataSource h) {
                      h.close();
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    return failures;
  }

  @Test
  void nodesStartingTogetherOnAFreshPostgresDatabaseAllSucceed() throws Exception {
    String url = System.getenv("OWLY_PG_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("OWLY_PG_URL is not set: run scripts/pg-start.sh");
    }
    for (int round = 0; round < ROUNDS; round++) {
      String schema = "owly_start_" + System.nanoTime();
      try (HikariDataSource admin = Pools.over(TestDatabases.postgres(url), 2);
          Connection c = admin.getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + schema);
        try {
          String nodeUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
          assertEquals(
              List.of(),
              startTogether(n -> Pools.over(TestDatabases.postgres(nodeUrl), 4)),
              "round " + round);
        } finally {
          s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
      }
    }
  }

  @Test
  void threadsStartingTogetherOnAFreshH2DatabaseAllSucceed() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      JdbcConnectionPool pool = TestDatabases.h2File(dir.resolve("round-" + round));
      pool.setMaxConnections(NODES * 2);
      try {
        assertEquals(List.of(), startTogether(n -> pool), "round " + round);
      } finally {
        pool.dispose();
      }
    }
  }
}
