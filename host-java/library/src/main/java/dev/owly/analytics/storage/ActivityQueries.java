package dev.owly.analytics.storage;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the delivery status and the admin page's charts read from the event table and the ledger:
 * counts only, each call one read transaction. The counters have their own class, {@link
 * DailyCounters}.
 */
public final class ActivityQueries {
  private static final String EVENTS = "\"" + Schema.EVENT_TABLE + "\"";
  private static final String LEDGER = "\"" + Schema.LEDGER_TABLE + "\"";

  /** Batches sealed on one UTC day that are now in one status. */
  public record BatchDay(int day, String status, long batches, long rows) {}

  /** The event table's rows in one state, and the UTF-8 bytes of their stored text. */
  public record RowState(String state, long rows, long bytes) {}

  private final DataSource dataSource;

  public ActivityQueries(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
  }

  /**
   * Ledger batches by the UTC day they were sealed and their status now ({@code sealed}, {@code
   * retry}, {@code delivered}, {@code failed}), for days {@code fromDay}…{@code toDay}.
   */
  public List<BatchDay> batchesPerDay(int fromDay, int toDay) {
    return Transactions.run(
        dataSource,
        "activity.batches-per-day",
        c -> {
          List<BatchDay> out = new ArrayList<>();
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT \"SEALED_AT\" / 86400000, \"STATUS\", COUNT(*), SUM(\"ROW_COUNT\") FROM "
                      + LEDGER
                      + " WHERE \"SEALED_AT\" >= ? AND \"SEALED_AT\" < ?"
                      + " GROUP BY \"SEALED_AT\" / 86400000, \"STATUS\""
                      + " ORDER BY 1, 2")) {
            p.setLong(1, fromDay * DailyCounters.DAY_MS);
            p.setLong(2, (toDay + 1L) * DailyCounters.DAY_MS);
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                out.add(
                    new BatchDay(
                        Math.toIntExact(r.getLong(1)), r.getString(2), r.getLong(3), r.getLong(4)));
              }
            }
          }
          return out;
        });
  }

  /** Ledger batches by status, all days. */
  public Map<String, Long> batchCounts() {
    return Transactions.run(
        dataSource,
        "activity.batch-counts",
        c -> {
          Map<String, Long> out = new LinkedHashMap<>();
          try (PreparedStatement p =
                  c.prepareStatement(
                      "SELECT \"STATUS\", COUNT(*) FROM "
                          + LEDGER
                          + " GROUP BY \"STATUS\" ORDER BY \"STATUS\"");
              ResultSet r = p.executeQuery()) {
            while (r.next()) {
              out.put(r.getString(1), r.getLong(2));
            }
          }
          return out;
        });
  }

  /**
   * The event table by state. Bytes are the UTF-8 length of each row's text columns (name, tenant,
   * versions, attributes): what the rows hold, not what the database spends on them.
   */
  public List<RowState> rowStates() {
    return Transactions.run(
        dataSource,
        "activity.row-states",
        c -> {
          List<RowState> out = new ArrayList<>();
          try (PreparedStatement p =
                  c.prepareStatement(
                      "SELECT \"STATE\", COUNT(*), COALESCE(SUM(OCTET_LENGTH(\"NAME\")"
                          + " + OCTET_LENGTH(\"TENANT\") + OCTET_LENGTH(\"PRODUCT_VERSION\")"
                          + " + OCTET_LENGTH(\"APP_VERSION\") + OCTET_LENGTH(\"ATTRIBUTES\")), 0)"
                          + " FROM "
                          + EVENTS
                          + " GROUP BY \"STATE\" ORDER BY \"STATE\"");
              ResultSet r = p.executeQuery()) {
            while (r.next()) {
              out.add(new RowState(r.getString(1), r.getLong(2), r.getLong(3)));
            }
          }
          return out;
        });
  }

  @Override
  public String toString() {
    return "ActivityQueries[" + Schema.EVENT_TABLE + ", " + Schema.LEDGER_TABLE + "]";
  }
}
