package dev.owly.analytics.storage;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.spi.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The persisted counters ({@link Schema#COUNTER_TABLE}): one row per UTC day, {@link CounterKind}
 * and name, holding a count, and the delivery-health row ({@link Schema#DELIVERY_TABLE}).
 *
 * <p>Writes are additive upserts ({@code ON CONFLICT … DO UPDATE} on PostgreSQL, {@code MERGE} on
 * H2), so any number of nodes may write their own deltas into one table and the totals are the sum.
 * Keys are written in one order (day, kind, name), so two nodes writing the same keys never
 * deadlock; a concurrent first insert of one key is retried. The host batches its deltas in memory
 * and calls {@link #add} every few seconds, never once per event.
 */
public final class DailyCounters {
  /** One UTC day in milliseconds. */
  public static final long DAY_MS = 86_400_000L;

  /** Names are bounded like the column that stores them (event names are at most this too). */
  public static final int MAX_NAME_LENGTH = 255;

  private static final String COUNTERS = "\"" + Schema.COUNTER_TABLE + "\"";
  private static final String DELIVERY = "\"" + Schema.DELIVERY_TABLE + "\"";
  private static final String EVENTS = "\"" + Schema.EVENT_TABLE + "\"";
  private static final int ATTEMPTS = 4;

  /** A counter: which day (days since 1970-01-01, UTC), what it counts, and of what. */
  public record Key(int day, CounterKind kind, String name) {
    public Key {
      requireNonNull(kind, "kind");
      requireNonNull(name, "name");
      if (name.length() > MAX_NAME_LENGTH) {
        name = name.substring(0, MAX_NAME_LENGTH);
      }
    }

    /** Day, then kind, then name: the order rows are written in. */
    public static final Comparator<Key> ORDER =
        Comparator.comparingInt(Key::day)
            .thenComparing(k -> k.kind().id())
            .thenComparing(Key::name);
  }

  /** A stored counter. */
  public record Count(int day, CounterKind kind, String name, long amount) {}

  private final DataSource dataSource;

  public DailyCounters(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
  }

  /** The UTC day (days since 1970-01-01) of a Unix-ms time. */
  public static int utcDay(long epochMs) {
    return Math.toIntExact(Math.floorDiv(epochMs, DAY_MS));
  }

  /** Adds every delta in one transaction; all or nothing. */
  public void add(Map<Key, Long> deltas) {
    requireNonNull(deltas, "deltas");
    List<Map.Entry<Key, Long>> rows = new ArrayList<>();
    for (Map.Entry<Key, Long> e : deltas.entrySet()) {
      if (e.getValue() != null && e.getValue() != 0) {
        rows.add(e);
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    rows.sort(Map.Entry.comparingByKey(Key.ORDER));
    retrying(
        "counters.add",
        c -> {
          try (PreparedStatement p = c.prepareStatement(upsertSql(Dialect.of(c)))) {
            for (Map.Entry<Key, Long> e : rows) {
              bindUpsert(p, e.getKey(), e.getValue());
              p.addBatch();
            }
            p.executeBatch();
          }
          return null;
        });
  }

  /**
   * Adds one delta inside a transaction the caller runs (for storage code that counts what it does
   * in the same commit, e.g. drops by reason).
   */
  static void add(Connection c, Key key, long amount) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(upsertSql(Dialect.of(c)))) {
      bindUpsert(p, key, amount);
      p.executeUpdate();
    }
  }

  private static String upsertSql(Dialect dialect) {
    if (dialect == Dialect.POSTGRESQL) {
      return "INSERT INTO "
          + COUNTERS
          + " AS c (\"UTC_DAY\", \"KIND\", \"NAME\", \"AMOUNT\") VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (\"UTC_DAY\", \"KIND\", \"NAME\")"
          + " DO UPDATE SET \"AMOUNT\" = c.\"AMOUNT\" + EXCLUDED.\"AMOUNT\"";
    }
    return "MERGE INTO "
        + COUNTERS
        + " AS c USING (VALUES (CAST(? AS INTEGER), CAST(? AS VARCHAR(16)),"
        + " CAST(? AS VARCHAR(255)), CAST(? AS BIGINT))) AS s (\"D\", \"K\", \"N\", \"A\")"
        + " ON c.\"UTC_DAY\" = s.\"D\" AND c.\"KIND\" = s.\"K\" AND c.\"NAME\" = s.\"N\""
        + " WHEN MATCHED THEN UPDATE SET \"AMOUNT\" = c.\"AMOUNT\" + s.\"A\""
        + " WHEN NOT MATCHED THEN INSERT (\"UTC_DAY\", \"KIND\", \"NAME\", \"AMOUNT\")"
        + " VALUES (s.\"D\", s.\"K\", s.\"N\", s.\"A\")";
  }

  private static void bindUpsert(PreparedStatement p, Key key, long amount) throws SQLException {
    p.setInt(1, key.day());
    p.setString(2, key.kind().id());
    p.setString(3, key.name());
    p.setLong(4, amount);
  }

  /** Every counter of the days {@code fromDay}…{@code toDay} (inclusive), by day, kind, name. */
  public List<Count> between(int fromDay, int toDay) {
    return Transactions.run(
        dataSource,
        "counters.between",
        c -> {
          List<Count> out = new ArrayList<>();
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT \"UTC_DAY\", \"KIND\", \"NAME\", \"AMOUNT\" FROM "
                      + COUNTERS
                      + " WHERE \"UTC_DAY\" BETWEEN ? AND ?"
                      + " ORDER BY \"UTC_DAY\", \"KIND\", \"NAME\"")) {
            p.setInt(1, fromDay);
            p.setInt(2, toDay);
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                int day = r.getInt(1);
                String kind = r.getString(2);
                String name = r.getString(3);
                long amount = r.getLong(4);
                CounterKind.of(kind).ifPresent(k -> out.add(new Count(day, k, name, amount)));
              }
            }
          }
          return out;
        });
  }

  /** All-time sums by kind and name (names sorted). */
  public Map<CounterKind, Map<String, Long>> totals() {
    return Transactions.run(
        dataSource,
        "counters.totals",
        c -> {
          Map<CounterKind, Map<String, Long>> out = new EnumMap<>(CounterKind.class);
          try (PreparedStatement p =
                  c.prepareStatement(
                      "SELECT \"KIND\", \"NAME\", SUM(\"AMOUNT\") FROM "
                          + COUNTERS
                          + " GROUP BY \"KIND\", \"NAME\"");
              ResultSet r = p.executeQuery()) {
            while (r.next()) {
              String name = r.getString(2);
              long sum = r.getLong(3);
              CounterKind.of(r.getString(1))
                  .ifPresent(k -> out.computeIfAbsent(k, x -> new TreeMap<>()).put(name, sum));
            }
          }
          return out;
        });
  }

  /**
   * The delivered rows of one batch by the UTC day they were recorded and their name: what {@link
   * CounterKind#SENT} adds when the batch is settled as delivered.
   */
  public Map<Key, Long> sentOf(long batchId) {
    return Transactions.run(
        dataSource,
        "counters.sent-of",
        c -> {
          Map<Key, Long> out = new LinkedHashMap<>();
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT \"RECORDED_AT\" / 86400, \"NAME\", COUNT(*) FROM "
                      + EVENTS
                      + " WHERE \"BATCH_ID\" = ? AND \"STATE\" = ?"
                      + " GROUP BY \"RECORDED_AT\" / 86400, \"NAME\"")) {
            p.setLong(1, batchId);
            p.setString(2, JdbcStorage.DELIVERED);
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                out.merge(
                    new Key(Math.toIntExact(r.getLong(1)), CounterKind.SENT, r.getString(2)),
                    r.getLong(3),
                    Long::sum);
              }
            }
          }
          return out;
        });
  }

  /** The stored delivery health ({@link DeliveryHealth#NONE} before the first send). */
  public DeliveryHealth health() {
    return Transactions.run(
        dataSource,
        "delivery.health",
        c -> {
          try (PreparedStatement p = c.prepareStatement(HEALTH_SELECT);
              ResultSet r = p.executeQuery()) {
            return r.next() ? toHealth(r) : DeliveryHealth.NONE;
          }
        });
  }

  /** Merges what a node observed into the stored row, in one transaction (row-locked). */
  public void mergeHealth(DeliveryHealth observed) {
    requireNonNull(observed, "observed");
    if (observed.equals(DeliveryHealth.NONE)) {
      return;
    }
    retrying(
        "delivery.merge",
        c -> {
          DeliveryHealth stored = null;
          try (PreparedStatement p = c.prepareStatement(HEALTH_SELECT + " FOR UPDATE");
              ResultSet r = p.executeQuery()) {
            if (r.next()) {
              stored = toHealth(r);
            }
          }
          DeliveryHealth merged = (stored == null ? DeliveryHealth.NONE : stored).merge(observed);
          String sql =
              stored == null
                  ? "INSERT INTO "
                      + DELIVERY
                      + " (\"LAST_SUCCESS_AT\", \"LAST_FAILURE_AT\", \"FAILING_SINCE\","
                      + " \"LAST_ERROR_CODE\", \"ID\") VALUES (?, ?, ?, ?, 1)"
                  : "UPDATE "
                      + DELIVERY
                      + " SET \"LAST_SUCCESS_AT\" = ?, \"LAST_FAILURE_AT\" = ?,"
                      + " \"FAILING_SINCE\" = ?, \"LAST_ERROR_CODE\" = ? WHERE \"ID\" = 1";
          try (PreparedStatement p = c.prepareStatement(sql)) {
            Sql.setNullableLong(p, 1, merged.lastSuccessAt());
            Sql.setNullableLong(p, 2, merged.lastFailureAt());
            Sql.setNullableLong(p, 3, merged.failingSince());
            p.setString(4, merged.lastErrorCode());
            p.executeUpdate();
          }
          return null;
        });
  }

  private static final String HEALTH_SELECT =
      "SELECT \"LAST_SUCCESS_AT\", \"LAST_FAILURE_AT\", \"FAILING_SINCE\", \"LAST_ERROR_CODE\""
          + " FROM "
          + DELIVERY
          + " WHERE \"ID\" = 1";

  private static DeliveryHealth toHealth(ResultSet r) throws SQLException {
    return new DeliveryHealth(
        Sql.nullableLong(r, 1), Sql.nullableLong(r, 2), Sql.nullableLong(r, 3), r.getString(4));
  }

  /**
   * One transaction, tried again when a concurrent node inserted the same new key first (unique
   * violation) or the database chose this transaction as a deadlock or serialization victim.
   */
  private <T> T retrying(String op, Transactions.Work<T> work) {
    StorageException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        return Transactions.run(dataSource, op, work);
      } catch (StorageException e) {
        if (!(e.getCause() instanceof SQLException sql) || !retryable(sql)) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  private static boolean retryable(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String state = s.getSQLState();
      if ("23505".equals(state) || "40001".equals(state) || "40P01".equals(state)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "DailyCounters[table=" + Schema.COUNTER_TABLE + "]";
  }
}
