package dev.owly.analytics.admin;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.Text;
import dev.owly.analytics.api.DeliveryStatus;
import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.CounterTally;
import dev.owly.analytics.storage.ActivityQueries;
import dev.owly.analytics.storage.ActivityQueries.BatchDay;
import dev.owly.analytics.storage.ActivityQueries.RowState;
import dev.owly.analytics.storage.CounterKind;
import dev.owly.analytics.storage.DailyCounters;
import dev.owly.analytics.storage.DailyCounters.Count;
import dev.owly.analytics.storage.DeliveryHealth;
import dev.owly.analytics.storage.JdbcStorage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The admin page's charts as JSON ({@code docs/admin-api.md}, "Charts"): events per day by name
 * with the part sent and the part rejected by rule, batches per day by outcome with the delivery
 * health, and storage in use against its cap with drops by reason. Everything comes from the
 * instance's own tables (the counters, the ledger, the event table) plus this node's counts not yet
 * written; nothing is fetched from anywhere else.
 */
public final class ChartQueries {
  /** How many UTC days a chart covers, today included. */
  public static final int DAYS = 30;

  private final Core core;
  private final JdbcStorage storage;
  private final ActivityQueries activity;
  private final DailyCounters counters;

  public ChartQueries(Core core, JdbcStorage storage) {
    this.core = requireNonNull(core, "core");
    this.storage = requireNonNull(storage, "storage");
    this.activity = new ActivityQueries(storage.dataSource());
    this.counters =
        core.counters()
            .map(CounterTally::counters)
            .orElseGet(() -> new DailyCounters(storage.dataSource()));
  }

  private List<Count> countsBetween(int from, int to) {
    Optional<CounterTally> tally = core.counters();
    return tally.isPresent() ? tally.get().between(from, to) : counters.between(from, to);
  }

  /**
   * {@code GET /owly/api/charts/events}: per day (oldest first), accepted events by name, the part
   * of them sent (by the day they were recorded), and rejections by rule id.
   */
  public String events(long nowMs) {
    int today = DailyCounters.utcDay(nowMs);
    int first = today - DAYS + 1;
    Map<CounterKind, Map<String, long[]>> series = new EnumMap<>(CounterKind.class);
    for (Count c : countsBetween(first, today)) {
      series.computeIfAbsent(c.kind(), k -> new TreeMap<>())
              .computeIfAbsent(c.name(), n -> new long[DAYS])[c.day() - first] +=
          c.amount();
    }
    StringBuilder out = new StringBuilder(4096).append('{');
    days(out, first);
    out.append(",\"accepted\":");
    series(out, series.get(CounterKind.ACCEPTED), "name");
    out.append(",\"sent\":");
    series(out, series.get(CounterKind.SENT), "name");
    out.append(",\"rejected\":");
    series(out, series.get(CounterKind.REJECTED), "rule");
    out.append(",\"totals\":{\"accepted\":")
        .append(sum(series.get(CounterKind.ACCEPTED)))
        .append(",\"sent\":")
        .append(sum(series.get(CounterKind.SENT)))
        .append(",\"rejected\":")
        .append(sum(series.get(CounterKind.REJECTED)))
        .append("}}");
    return out.toString();
  }

  /**
   * {@code GET /owly/api/charts/batches}: ledger batches per day they were sealed, by their outcome
   * now, and the delivery health.
   */
  public String batches(long nowMs) {
    int today = DailyCounters.utcDay(nowMs);
    int first = today - DAYS + 1;
    Map<String, long[]> outcomes = new LinkedHashMap<>();
    for (String outcome : List.of("delivered", "retrying", "failed", "sealed")) {
      outcomes.put(outcome, new long[DAYS]);
    }
    for (BatchDay b : activity.batchesPerDay(first, today)) {
      String outcome = b.status().equals("retry") ? "retrying" : b.status();
      long[] counts = outcomes.computeIfAbsent(outcome, o -> new long[DAYS]);
      counts[b.day() - first] += b.batches();
    }
    StringBuilder out = new StringBuilder(2048).append('{');
    days(out, first);
    out.append(",\"outcomes\":[");
    boolean comma = false;
    for (Map.Entry<String, long[]> e : outcomes.entrySet()) {
      if (comma) {
        out.append(',');
      }
      comma = true;
      out.append("{\"outcome\":").append(Text.jsonQuote(e.getKey())).append(",\"counts\":");
      counts(out, e.getValue());
      out.append('}');
    }
    DeliveryHealth h = core.counters().map(CounterTally::health).orElseGet(counters::health);
    out.append("],\"health\":{\"lastSuccessAt\":")
        .append(h.lastSuccessAt())
        .append(",\"failingSince\":")
        .append(h.failingSince())
        .append(",\"lastFailureAt\":")
        .append(h.lastFailureAt())
        .append(",\"lastErrorCode\":")
        .append(Text.jsonQuote(h.lastErrorCode()))
        .append("}}");
    return out.toString();
  }

  /**
   * {@code GET /owly/api/charts/storage}: the event table by state, pending rows and bytes against
   * the cap (null while no cap is configured), drops by reason (all time).
   */
  public String storage(OptionalLong capRows, OptionalLong capBytes) {
    List<RowState> states = activity.rowStates();
    long pending = 0;
    long pendingBytes = 0;
    for (RowState s : states) {
      if (s.state().equals("pending")) {
        pending = s.rows();
        pendingBytes = s.bytes();
      }
    }
    Map<CounterKind, Map<String, Long>> totals =
        core.counters().map(CounterTally::totals).orElseGet(counters::totals);
    StringBuilder out =
        new StringBuilder(512)
            .append("{\"pending\":")
            .append(pending)
            .append(",\"pendingBytes\":")
            .append(pendingBytes)
            .append(",\"capRows\":")
            .append(capRows.isPresent() ? Long.toString(capRows.getAsLong()) : "null")
            .append(",\"capBytes\":")
            .append(capBytes.isPresent() ? Long.toString(capBytes.getAsLong()) : "null")
            .append(",\"rows\":[");
    for (int i = 0; i < states.size(); i++) {
      RowState s = states.get(i);
      out.append(i > 0 ? "," : "")
          .append("{\"state\":")
          .append(Text.jsonQuote(s.state()))
          .append(",\"rows\":")
          .append(s.rows())
          .append(",\"bytes\":")
          .append(s.bytes())
          .append('}');
    }
    out.append("],\"drops\":[");
    List<Map.Entry<String, Long>> drops =
        new ArrayList<>(totals.getOrDefault(CounterKind.DROPPED, Map.of()).entrySet());
    drops.sort(
        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    for (int i = 0; i < drops.size(); i++) {
      out.append(i > 0 ? "," : "")
          .append("{\"reason\":")
          .append(Text.jsonQuote(drops.get(i).getKey()))
          .append(",\"count\":")
          .append(drops.get(i).getValue())
          .append('}');
    }
    return out.append("]}").toString();
  }

  /** The {@code delivery} object of {@code GET /owly/api/status}. */
  public String delivery() {
    return deliveryJson(DeliveryStatus.read(core, storage));
  }

  static String deliveryJson(DeliveryStatus d) {
    return "{\"pendingRows\":"
        + d.pendingRows()
        + ",\"sealedBatches\":"
        + d.sealedBatches()
        + ",\"retryingBatches\":"
        + d.retryingBatches()
        + ",\"failedBatches\":"
        + d.failedBatches()
        + ",\"deliveredBatches\":"
        + d.deliveredBatches()
        + ",\"droppedRows\":"
        + d.droppedRows()
        + ",\"lastSuccessAt\":"
        + millis(d.lastSuccessfulDelivery())
        + ",\"failingSince\":"
        + millis(d.failingSince())
        + ",\"lastFailureAt\":"
        + millis(d.lastFailure())
        + ",\"lastErrorCode\":"
        + Text.jsonQuote(d.lastErrorCode().orElse(null))
        + "}";
  }

  private static String millis(Optional<Instant> at) {
    return at.map(i -> Long.toString(i.toEpochMilli())).orElse("null");
  }

  private static void days(StringBuilder out, int first) {
    out.append("\"days\":[");
    for (int i = 0; i < DAYS; i++) {
      out.append(i > 0 ? ",\"" : "\"").append(LocalDate.ofEpochDay(first + i)).append('"');
    }
    out.append(']');
  }

  /** Series sorted by their total (largest first), then by name. */
  private static void series(StringBuilder out, Map<String, long[]> byName, String key) {
    out.append('[');
    if (byName != null) {
      List<Map.Entry<String, long[]>> entries = new ArrayList<>(byName.entrySet());
      entries.sort(
          Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -total(e.getValue()))
              .thenComparing(Map.Entry::getKey));
      for (int i = 0; i < entries.size(); i++) {
        out.append(i > 0 ? "," : "")
            .append("{\"")
            .append(key)
            .append("\":")
            .append(Text.jsonQuote(entries.get(i).getKey()))
            .append(",\"counts\":");
        counts(out, entries.get(i).getValue());
        out.append('}');
      }
    }
    out.append(']');
  }

  private static void counts(StringBuilder out, long[] counts) {
    out.append('[');
    for (int i = 0; i < counts.length; i++) {
      out.append(i > 0 ? "," : "").append(counts[i]);
    }
    out.append(']');
  }

  private static long total(long[] counts) {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }

  private static long sum(Map<String, long[]> byName) {
    long t = 0;
    if (byName != null) {
      for (long[] c : byName.values()) {
        t += total(c);
      }
    }
    return t;
  }

  @Override
  public String toString() {
    return "ChartQueries[" + DAYS + " days]";
  }
}
