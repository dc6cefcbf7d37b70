package dev.owly.analytics.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.api.DeliveryStatus;
import dev.owly.analytics.api.Owly;
import dev.owly.analytics.core.Verdict;
import dev.owly.analytics.spi.Counter;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.TransportException;
import dev.owly.analytics.storage.DailyCounters;
import dev.owly.analytics.storage.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The charts' JSON for a known mix of events on several days (a fixed clock), against SQL counts of
 * the event table and the ledger, and against the verdicts for what the filter rejected (never
 * stored, so only the counters know). Then the same after a restart on the same database.
 */
abstract class ChartQueriesContractTest {
  static final long DAY = DailyCounters.DAY_MS;
  static final long BASE = Instant.parse("2025-03-10T09:00:00Z").toEpochMilli();
  static final String[] PAGES = {"dashboard", "export", "settings"};

  final AtomicLong now = new AtomicLong(BASE);

  /** What the collector answers this flush: an HTTP status, or 0 for no answer at all. */
  volatile int answer = 200;

  final List<Owly> opened = new ArrayList<>();
  DataSource ds;

  /** The verdicts' rejections by day and rule: the expected rejected counts. */
  final Map<String, Map<String, Long>> rejectedByDay = new TreeMap<>();

  abstract DataSource freshDataSource() throws Exception;

  Owly open() {
    Owly owly =
        Owly.builder(ds)
            .withServerId("TEST-0000-0000-0007")
            .withProductVersion("9.12.15")
            .withAppVersion("0.1.0-test")
            .withCollectorUrl("https://collector.invalid/collect")
            .withSecret(new byte[32])
            .withMode(Mode.REMOTE)
            .withClock(now::get)
            .withTransport(
                body -> {
                  if (answer == 0) {
                    throw new TransportException(TransportException.Kind.CONNECT, "connect");
                  }
                  return new Response(answer, null);
                })
            .withPoolSize(1)
            .withFlushInterval(Duration.ZERO)
            .withDrainTimeout(Duration.ZERO)
            .withCounterInterval(Duration.ZERO)
            .build();
    opened.add(owly);
    return owly;
  }

  @AfterEach
  void close() {
    opened.forEach(Owly::close);
  }

  /** Six days: events of three names, some rejections, and a different collector answer a day. */
  void seed(Owly owly) {
    Random random = new Random(11);
    int[] answers = {200, 503, 200, 403, 0, 200};
    for (int day = 0; day < answers.length; day++) {
      now.set(BASE + day * DAY);
      int events = 4 + random.nextInt(6);
      for (int i = 0; i < events; i++) {
        now.addAndGet(1000);
        Verdict v =
            switch (random.nextInt(3)) {
              case 0 -> owly.record("owly.export.finished", Map.of("format", "csv", "rows", 10));
              case 1 -> owly.record("owly.view." + PAGES[random.nextInt(PAGES.length)], Map.of());
              default -> owly.record("owly.schedule.created", Map.of("interval", "daily"));
            };
        assertTrue(v.accepted(), v.rule());
      }
      for (int i = 0; i < day % 3 + 1; i++) {
        reject(owly, "owly.export.failed", Map.of("reason", "jane.doe@example.com"));
      }
      if (day == 2) {
        reject(owly, "owly.issue.viewed", Map.of());
      }
      answer = answers[day];
      now.addAndGet(60_000);
      owly.flush();
      if (answer == 200) {
        lastSuccess = now.get();
      } else {
        lastFailure = now.get();
      }
      owly.core().counters().orElseThrow().write();
    }
  }

  long lastSuccess;
  long lastFailure;

  long failedRows() throws Exception {
    return total(
            sql(
                "SELECT 0, \"STATE\", COUNT(*) FROM "
                    + EVENTS
                    + " WHERE \"STATE\" = 'failed' GROUP BY \"STATE\""))
        .getOrDefault("failed", 0L);
  }

  void reject(Owly owly, String name, Map<String, ?> attributes) {
    Verdict v = owly.record(name, attributes);
    assertFalse(v.accepted());
    rejectedByDay
        .computeIfAbsent(LocalDate.ofEpochDay(now.get() / DAY).toString(), d -> new TreeMap<>())
        .merge(v.rule(), 1L, Long::sum);
  }

  /** A SQL count as {day → {name → count}}. */
  Map<String, Map<String, Long>> sql(String select) throws Exception {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    try (Connection c = ds.getConnection();
        PreparedStatement p = c.prepareStatement(select);
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        out.computeIfAbsent(LocalDate.ofEpochDay(r.getLong(1)).toString(), d -> new TreeMap<>())
            .put(r.getString(2), r.getLong(3));
      }
    }
    return out;
  }

  /** A chart's series as {day → {name → count}}, zero counts left out. */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Long>> chart(Map<String, Object> json, String key, String label) {
    List<Object> days = (List<Object>) json.get("days");
    Map<String, Map<String, Long>> out = new TreeMap<>();
    for (Object o : (List<Object>) json.get(key)) {
      Map<String, Object> series = (Map<String, Object>) o;
      List<Object> counts = (List<Object>) series.get("counts");
      assertEquals(days.size(), counts.size());
      for (int i = 0; i < counts.size(); i++) {
        long n = (Long) counts.get(i);
        if (n != 0) {
          out.computeIfAbsent((String) days.get(i), d -> new TreeMap<>())
              .put((String) series.get(label), n);
        }
      }
    }
    return out;
  }

  static final String EVENTS = "\"" + Schema.EVENT_TABLE + "\"";
  static final String LEDGER = "\"" + Schema.LEDGER_TABLE + "\"";

  void assertChartsEqualTheDatabase(Owly owly) throws Exception {
    ChartQueries charts = new ChartQueries(owly.core(), owly.storage());
    long at = now.get();
    Map<String, Object> events = JsonBody.object(charts.events(at));
    assertEquals(ChartQueries.DAYS, ((List<?>) events.get("days")).size());
    assertEquals(
        LocalDate.ofEpochDay(at / DAY).toString(),
        ((List<?>) events.get("days")).get(ChartQueries.DAYS - 1));
    Map<String, Map<String, Long>> accepted =
        sql(
            "SELECT \"RECORDED_AT\" / 86400, \"NAME\", COUNT(*) FROM "
                + EVENTS
                + " GROUP BY \"RECORDED_AT\" / 86400, \"NAME\"");
    assertEquals(6, accepted.size(), "six days of events");
    assertEquals(accepted, chart(events, "accepted", "name"));
    assertEquals(
        sql(
            "SELECT \"RECORDED_AT\" / 86400, \"NAME\", COUNT(*) FROM "
                + EVENTS
                + " WHERE \"STATE\" = 'delivered' GROUP BY \"RECORDED_AT\" / 86400, \"NAME\""),
        chart(events, "sent", "name"));
    assertEquals(rejectedByDay, chart(events, "rejected", "rule"));

    Map<String, Object> batches = JsonBody.object(charts.batches(at));
    Map<String, Map<String, Long>> ledger =
        sql(
            "SELECT \"SEALED_AT\" / 86400000, CASE \"STATUS\" WHEN 'retry' THEN 'retrying' ELSE"
                + " \"STATUS\" END, COUNT(*) FROM "
                + LEDGER
                + " GROUP BY \"SEALED_AT\" / 86400000, \"STATUS\"");
    assertEquals(ledger, chart(batches, "outcomes", "outcome"));
    // Day 1's 503 and day 4's missing answer were retried the next day and delivered; day 3's
    // 403 failed for good.
    assertEquals(Map.of("delivered", 5L, "failed", 1L), total(ledger), "by outcome: " + ledger);
    @SuppressWarnings("unchecked")
    Map<String, Object> health = (Map<String, Object>) batches.get("health");
    assertEquals(lastSuccess, health.get("lastSuccessAt"));
    assertEquals(JsonBody.NULL, health.get("failingSince"));
    assertEquals(lastFailure, health.get("lastFailureAt"));
    assertEquals("transport", health.get("lastErrorCode"));

    Map<String, Object> storage =
        JsonBody.object(charts.storage(OptionalLong.of(1000), OptionalLong.empty()));
    assertEquals(1000L, storage.get("capRows"));
    assertEquals(JsonBody.NULL, storage.get("capBytes"));
    assertEquals(0L, storage.get("pending"));
    assertEquals(List.of(), storage.get("drops"));

    List<Counter> stats = owly.core().stats();
    Map<String, Long> byName = new TreeMap<>();
    stats.forEach(c -> byName.put(c.name(), c.value()));
    long stored =
        accepted.values().stream().flatMap(m -> m.values().stream()).mapToLong(x -> x).sum();
    assertEquals(stored, byName.get("record.accepted"));
    assertEquals(
        rejectedByDay.values().stream().mapToLong(m -> m.getOrDefault("@email", 0L)).sum(),
        byName.get("@email"));
    assertEquals(6L, byName.get("flush.sealed"), byName.toString());
    assertEquals(5L, byName.get("flush.delivered"), byName.toString());
    assertEquals(2L, byName.get("flush.retrying"), byName.toString());
    assertEquals(1L, byName.get("flush.failed"), byName.toString());
    assertEquals(stored, byName.get("flush.rows-delivered") + failedRows(), byName.toString());
  }

  static Map<String, Long> total(Map<String, Map<String, Long>> byDay) {
    Map<String, Long> out = new TreeMap<>();
    byDay.values().forEach(m -> m.forEach((k, v) -> out.merge(k, v, Long::sum)));
    return out;
  }

  @Test
  void shouldChartWhatTheTablesHoldAndKeepItAcrossARestart() throws Exception {
    ds = freshDataSource();
    Owly owly = open();
    seed(owly);
    assertChartsEqualTheDatabase(owly);
    owly.close();
    // A new process on the same database: the counters are read back, not recounted.
    Owly again = open();
    assertChartsEqualTheDatabase(again);
  }

  @Test
  void shouldReportDeliveryStatusAndFailingSince() throws Exception {
    ds = freshDataSource();
    Owly owly = open();
    owly.record("owly.view.dashboard", Map.of());
    answer = 200;
    owly.flush();
    long success = now.get();
    now.addAndGet(DAY);
    owly.record("owly.view.export", Map.of());
    owly.record("owly.view.export", Map.of());
    answer = 503;
    owly.flush();
    long failedAt = now.get();
    now.addAndGet(60_000);
    owly.record("owly.view.history", Map.of());
    owly.record("owly.export.failed", Map.of("reason", "jane.doe@example.com"));
    DeliveryStatus s = owly.status();
    assertEquals(1, s.pendingRows());
    assertEquals(1, s.retryingBatches());
    assertEquals(1, s.deliveredBatches());
    assertEquals(0, s.failedBatches());
    assertEquals(0, s.droppedRows());
    assertEquals(Instant.ofEpochMilli(success), s.lastSuccessfulDelivery().orElseThrow());
    assertEquals(Instant.ofEpochMilli(failedAt), s.failingSince().orElseThrow());
    assertEquals("http.503", s.lastErrorCode().orElseThrow());
    assertTrue(s.failing());
    // Survives a restart (written on close), and the next success ends it.
    owly.close();
    Owly again = open();
    assertEquals(s, again.status());
    answer = 0;
    now.addAndGet(DAY);
    again.flush();
    assertEquals("transport", again.status().lastErrorCode().orElseThrow());
    assertEquals(Instant.ofEpochMilli(failedAt), again.status().failingSince().orElseThrow());
    answer = 200;
    now.addAndGet(DAY);
    again.flush();
    DeliveryStatus ok = again.status();
    assertFalse(ok.failing());
    assertEquals(0, ok.retryingBatches());
    assertEquals(0, ok.pendingRows());
    assertEquals(Instant.ofEpochMilli(now.get()), ok.lastSuccessfulDelivery().orElseThrow());
    String json = ChartQueries.deliveryJson(ok);
    assertNotNull(JsonBody.object(json).get("failingSince"));
    assertEquals(JsonBody.NULL, JsonBody.object(json).get("failingSince"));
  }
}
