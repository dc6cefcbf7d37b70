package dev.owly.analytics.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What the administrator reads and deletes (the admin API, the demo): the ledger, the event counts
 * and "delete all". Not part of the core's storage import, so apart from {@link JdbcStorage}'s
 * leases; each call is one transaction.
 */
final class LedgerQueries {
  private static final String EVENTS = "\"" + Schema.EVENT_TABLE + "\"";
  private static final String LEDGER = "\"" + Schema.LEDGER_TABLE + "\"";
  private static final String LEDGER_SELECT =
      "SELECT \"ID\", \"NONCE\", \"CONTENT_HASH\", \"DATA_ENCODED\", \"ROW_COUNT\", \"STATUS\","
          + " \"ATTEMPTS\", \"SEALED_AT\", \"NEXT_ATTEMPT_AT\", \"LAST_STATUS\", \"REASON\","
          + " \"SETTLED_AT\" FROM "
          + LEDGER;

  private final DataSource dataSource;

  LedgerQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Every event, every ledger row, the counters and the delivery health, in one transaction;
   * settings are kept. Returns the events and ledger rows deleted.
   */
  long deleteAll() {
    return Transactions.run(
        dataSource,
        "delete-all",
        c -> {
          try (Statement s = c.createStatement()) {
            long deleted =
                (long) s.executeUpdate("DELETE FROM " + EVENTS)
                    + s.executeUpdate("DELETE FROM " + LEDGER);
            s.executeUpdate("DELETE FROM \"" + Schema.COUNTER_TABLE + "\"");
            s.executeUpdate("DELETE FROM \"" + Schema.DELIVERY_TABLE + "\"");
            return deleted;
          }
        });
  }

  /** The newest ledger entries first, at most {@code limit}. */
  List<LedgerEntry> ledger(int limit) {
    return Transactions.run(
        dataSource,
        "ledger",
        c -> {
          List<LedgerEntry> entries = new ArrayList<>();
          try (PreparedStatement p =
              c.prepareStatement(LEDGER_SELECT + " ORDER BY \"ID\" DESC LIMIT ?")) {
            p.setInt(1, Math.max(0, limit));
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                entries.add(toLedgerEntry(r));
              }
            }
          }
          return entries;
        });
  }

  Optional<LedgerEntry> ledgerEntry(long id) {
    return Transactions.run(
        dataSource,
        "ledger-entry",
        c -> {
          try (PreparedStatement p = c.prepareStatement(LEDGER_SELECT + " WHERE \"ID\" = ?")) {
            p.setLong(1, id);
            try (ResultSet r = p.executeQuery()) {
              return r.next() ? Optional.of(toLedgerEntry(r)) : Optional.<LedgerEntry>empty();
            }
          }
        });
  }

  /** How many events are in each state, by state name. */
  Map<String, Long> eventCounts() {
    return Transactions.run(
        dataSource,
        "event-counts",
        c -> {
          Map<String, Long> counts = new LinkedHashMap<>();
          try (Statement s = c.createStatement();
              ResultSet r =
                  s.executeQuery(
                      "SELECT \"STATE\", COUNT(*) FROM "
                          + EVENTS
                          + " GROUP BY \"STATE\" ORDER BY \"STATE\"")) {
            while (r.next()) {
              counts.put(r.getString(1), r.getLong(2));
            }
          }
          return counts;
        });
  }

  private static LedgerEntry toLedgerEntry(ResultSet r) throws SQLException {
    return new LedgerEntry(
        r.getLong(1),
        r.getLong(2),
        r.getString(3),
        r.getString(4),
        r.getInt(5),
        r.getString(6),
        r.getInt(7),
        r.getLong(8),
        Sql.nullableLong(r, 9),
        (Integer) r.getObject(10),
        r.getString(11),
        Sql.nullableLong(r, 12));
  }
}
