package dev.owly.analytics.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.storage.DailyCounters.Count;
import dev.owly.analytics.storage.DailyCounters.Key;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The counter table and the delivery-health row, on each supported database. */
abstract class DailyCountersContractTest {
  DataSource ds;
  DailyCounters counters;

  abstract DataSource freshDataSource() throws Exception;

  @BeforeEach
  void fresh() throws Exception {
    ds = freshDataSource();
    Schema.migrate(ds);
    counters = new DailyCounters(ds);
  }

  static Key key(int day, CounterKind kind, String name) {
    return new Key(day, kind, name);
  }

  long stored(String where) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT COALESCE(SUM(\"AMOUNT\"), 0) FROM \""
                    + Schema.COUNTER_TABLE
                    + "\" WHERE "
                    + where)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void shouldAddDeltasToTheSameDayKindAndName() throws Exception {
    counters.add(
        Map.of(
            key(20000, CounterKind.ACCEPTED, "owly.export.finished"), 3L,
            key(20000, CounterKind.REJECTED, "@email"), 2L));
    counters.add(
        Map.of(
            key(20000, CounterKind.ACCEPTED, "owly.export.finished"), 4L,
            key(20001, CounterKind.ACCEPTED, "owly.export.finished"), 1L));
    assertEquals(7, stored("\"UTC_DAY\" = 20000 AND \"KIND\" = 'accepted'"));
    assertEquals(1, stored("\"UTC_DAY\" = 20001"));
    assertEquals(
        List.of(
            new Count(20000, CounterKind.ACCEPTED, "owly.export.finished", 7),
            new Count(20000, CounterKind.REJECTED, "@email", 2)),
        counters.between(20000, 20000));
    Map<CounterKind, Map<String, Long>> totals = counters.totals();
    assertEquals(Map.of("owly.export.finished", 8L), totals.get(CounterKind.ACCEPTED));
    assertEquals(Map.of("@email", 2L), totals.get(CounterKind.REJECTED));
  }

  @Test
  void shouldIgnoreZeroDeltasAndAnEmptyMap() throws Exception {
    counters.add(Map.of());
    counters.add(Map.of(key(1, CounterKind.FLUSH, "flush.sealed"), 0L));
    assertEquals(0, stored("1 = 1"));
  }

  @Test
  void shouldBoundNamesToTheColumn() {
    String longName = "x".repeat(400);
    counters.add(Map.of(key(5, CounterKind.REJECTED, longName), 1L));
    assertEquals(DailyCounters.MAX_NAME_LENGTH, counters.between(5, 5).get(0).name().length());
  }

  @Test
  void shouldBeExactUnderConcurrentWritersOfTheSameNewKeys() throws Exception {
    int writers = 6;
    int rounds = 40;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      done.add(
          pool.submit(
              () -> {
                start.await();
                for (int round = 0; round < rounds; round++) {
                  Map<Key, Long> deltas = new HashMap<>();
                  // Every writer inserts the same fresh keys each round, in its own map order.
                  for (int n = 0; n < 5; n++) {
                    deltas.put(key(30000 + round, CounterKind.ACCEPTED, "e" + n), 1L);
                  }
                  deltas.put(key(30000, CounterKind.REJECTED, "@email"), 2L);
                  counters.add(deltas);
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals((long) writers * rounds * 5, stored("\"KIND\" = 'accepted'"));
    assertEquals((long) writers * rounds * 2, stored("\"KIND\" = 'rejected'"));
    assertEquals(writers, stored("\"UTC_DAY\" = 30007 AND \"NAME\" = 'e3'"));
  }

  @Test
  void shouldMergeDeliveryHealthIntoOneRow() {
    assertEquals(DeliveryHealth.NONE, counters.health());
    counters.mergeHealth(DeliveryHealth.NONE.success(1_000));
    counters.mergeHealth(
        DeliveryHealth.NONE.failure(2_000, "http.503").failure(3_000, "transport"));
    DeliveryHealth h = counters.health();
    assertEquals(1_000L, h.lastSuccessAt());
    assertEquals(2_000L, h.failingSince());
    assertEquals(3_000L, h.lastFailureAt());
    assertEquals("transport", h.lastErrorCode());
    assertTrue(h.failing());
    counters.mergeHealth(DeliveryHealth.NONE.success(4_000));
    h = counters.health();
    assertFalse(h.failing());
    assertNull(h.failingSince());
    assertEquals(4_000L, h.lastSuccessAt());
    assertEquals("transport", h.lastErrorCode(), "the last error code is kept after a success");
  }

  @Test
  void shouldBeClearedByDeleteAll() throws Exception {
    counters.add(Map.of(key(7, CounterKind.ACCEPTED, "owly.view.settings"), 9L));
    counters.mergeHealth(DeliveryHealth.NONE.success(5));
    new LedgerQueries(ds).deleteAll();
    assertEquals(0, stored("1 = 1"));
    assertEquals(DeliveryHealth.NONE, counters.health());
  }
}
