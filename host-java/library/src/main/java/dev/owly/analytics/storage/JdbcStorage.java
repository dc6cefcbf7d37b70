package dev.owly.analytics.storage;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.spi.Batch;
import dev.owly.analytics.spi.NewBatch;
import dev.owly.analytics.spi.NewRow;
import dev.owly.analytics.spi.Row;
import dev.owly.analytics.spi.Settlement;
import dev.owly.analytics.spi.Storage;
import dev.owly.analytics.spi.StorageException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The core's {@code storage} import over JDBC (H2 or PostgreSQL). Every method is one transaction
 * that either commits whole or changes nothing. Several nodes may share the database: pending rows
 * are claimed with leases ({@code CLAIMED_BY}/{@code CLAIM_UNTIL}) and due batches with leases
 * ({@code LEASED_BY}/{@code LEASE_UNTIL}), both taken by {@link Lease} ({@code SELECT … FOR UPDATE
 * SKIP LOCKED}, then an UPDATE that repeats the lease predicate), so a row is never held by two
 * nodes at once. The administrator's reads and "delete all" are {@link LedgerQueries}.
 */
public final class JdbcStorage implements Storage {
  static final String PENDING = "pending";
  static final String SEALED = "sealed";
  static final String DELIVERED = "delivered";
  static final String FAILED = "failed";
  static final String REJECTED = "rejected";
  static final String RETRY = "retry";

  private static final String EVENTS = "\"" + Schema.EVENT_TABLE + "\"";
  private static final String LEDGER = "\"" + Schema.LEDGER_TABLE + "\"";
  private static final String ROW_COLUMNS =
      "\"ID\", \"NAME\", \"TENANT\", \"PRODUCT_VERSION\", \"APP_VERSION\", \"RECORDED_AT\","
          + " \"ATTRIBUTES\"";

  private final DataSource dataSource;
  private final String nodeId;
  private final LedgerQueries queries;

  private JdbcStorage(Builder builder) {
    this.dataSource = builder.dataSource;
    this.nodeId = builder.nodeId;
    this.queries = new LedgerQueries(dataSource);
    if (builder.migrate) {
      Schema.migrate(dataSource);
    }
  }

  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Builds a {@link JdbcStorage}. */
  public static final class Builder {
    private final DataSource dataSource;
    private String nodeId = "node-" + UUID.randomUUID().toString().substring(0, 8);
    private boolean migrate = true;

    private Builder(DataSource dataSource) {
      this.dataSource = requireNonNull(dataSource, "dataSource");
    }

    /** Names this cluster node in claims and leases; unique per node (default: random). */
    public Builder withNodeId(String nodeId) {
      requireNonNull(nodeId, "nodeId");
      if (nodeId.isBlank() || nodeId.length() > 255) {
        throw new IllegalArgumentException("nodeId must be 1..255 characters");
      }
      this.nodeId = nodeId;
      return this;
    }

    /** Whether {@link #build()} creates and migrates the tables (default true). */
    public Builder withMigration(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    public JdbcStorage build() {
      return new JdbcStorage(this);
    }
  }

  public String nodeId() {
    return nodeId;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Runs {@code work} as one transaction; rolls back on any failure. */
  private <T> T inTransaction(String op, Transactions.Work<T> work) {
    return Transactions.run(dataSource, op, work);
  }

  private static StorageException lostClaim(String code) {
    return new StorageException(StorageException.Kind.LOST_CLAIM, code);
  }

  @Override
  public long append(NewRow row) {
    requireNonNull(row, "row");
    return inTransaction(
        "append",
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO "
                      + EVENTS
                      + " (\"NAME\", \"TENANT\", \"PRODUCT_VERSION\", \"APP_VERSION\","
                      + " \"RECORDED_AT\", \"ATTRIBUTES\", \"STATE\") VALUES (?, ?, ?, ?, ?, ?, ?)",
                  new String[] {"ID"})) {
            p.setString(1, row.name());
            p.setString(2, row.tenant());
            p.setString(3, row.productVersion());
            p.setString(4, row.appVersion());
            p.setLong(5, row.recordedAt());
            p.setString(6, row.attributes());
            p.setString(7, PENDING);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
              if (!keys.next()) {
                throw new SQLException("no generated key", "HY000");
              }
              return keys.getLong(1);
            }
          }
        });
  }

  @Override
  public List<Row> claim(int limit, long nowMs, long leaseUntilMs) {
    if (limit <= 0) {
      return List.of();
    }
    return inTransaction(
        "claim",
        c ->
            new Lease(EVENTS, "CLAIMED_BY", "CLAIM_UNTIL", "\"STATE\" = ?", PENDING)
                .take(c, nodeId, limit, nowMs, leaseUntilMs, ROW_COLUMNS, JdbcStorage::toRow));
  }

  private static Row toRow(ResultSet r) throws SQLException {
    return new Row(
        r.getLong(1),
        new NewRow(
            r.getString(2),
            r.getString(3),
            r.getString(4),
            r.getString(5),
            r.getLong(6),
            r.getString(7)));
  }

  @Override
  public List<Row> peek(int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return inTransaction(
        "peek",
        c -> {
          List<Row> rows = new ArrayList<>();
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT "
                      + ROW_COLUMNS
                      + " FROM "
                      + EVENTS
                      + " WHERE \"STATE\" = ? ORDER BY \"ID\" LIMIT ?")) {
            p.setString(1, PENDING);
            p.setInt(2, limit);
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                rows.add(toRow(r));
              }
            }
          }
          return rows;
        });
  }

  @Override
  public long seal(NewBatch batch) {
    requireNonNull(batch, "batch");
    requireNonNull(batch.dataEncoded(), "dataEncoded");
    requireNonNull(batch.contentHash(), "contentHash");
    long[] ids = Arrays.stream(requireNonNull(batch.rowIds(), "rowIds")).distinct().toArray();
    if (ids.length == 0 || ids.length != batch.rowIds().length) {
      throw new StorageException(StorageException.Kind.OTHER, "storage.seal.row-ids");
    }
    return inTransaction(
        "seal",
        c -> {
          // The batch is leased to this node until its rows' claims end, so no other node's
          // due() resends it while this node is still sending it for the first time.
          long leaseUntil;
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT COUNT(*), MIN(\"CLAIM_UNTIL\") FROM "
                      + EVENTS
                      + " WHERE \"ID\" IN ("
                      + Sql.idList(ids)
                      + ")"
                      + " AND \"STATE\" = ? AND \"CLAIMED_BY\" = ? AND \"CLAIM_UNTIL\" >= ?")) {
            int i = 1;
            p.setString(i++, PENDING);
            p.setString(i++, nodeId);
            p.setLong(i, batch.nowMs());
            try (ResultSet r = p.executeQuery()) {
              r.next();
              leaseUntil = r.getLong(2);
            }
          }
          long ledgerId;
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO "
                      + LEDGER
                      + " (\"NONCE\", \"CONTENT_HASH\", \"DATA_ENCODED\", \"ROW_COUNT\", \"STATUS\","
                      + " \"ATTEMPTS\", \"SEALED_AT\", \"NEXT_ATTEMPT_AT\", \"LEASED_BY\","
                      + " \"LEASE_UNTIL\") VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
                  new String[] {"ID"})) {
            p.setLong(1, batch.nonce());
            p.setString(2, batch.contentHash());
            p.setString(3, batch.dataEncoded());
            p.setInt(4, ids.length);
            p.setString(5, SEALED);
            p.setLong(6, batch.nowMs());
            p.setLong(7, batch.nowMs());
            p.setString(8, nodeId);
            p.setLong(9, leaseUntil);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
              keys.next();
              ledgerId = keys.getLong(1);
            }
          }
          // The rows move only if every one is still claimed by this node and unexpired;
          // otherwise the whole transaction, ledger row included, is rolled back.
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE "
                      + EVENTS
                      + " SET \"STATE\" = ?, \"BATCH_ID\" = ?"
                      + " WHERE \"ID\" IN ("
                      + Sql.idList(ids)
                      + ")"
                      + " AND \"STATE\" = ? AND \"CLAIMED_BY\" = ? AND \"CLAIM_UNTIL\" >= ?")) {
            int i = 1;
            u.setString(i++, SEALED);
            u.setLong(i++, ledgerId);
            u.setString(i++, PENDING);
            u.setString(i++, nodeId);
            u.setLong(i, batch.nowMs());
            if (u.executeUpdate() != ids.length) {
              throw lostClaim("storage.seal.lost-claim");
            }
          }
          return ledgerId;
        });
  }

  @Override
  public List<Batch> due(int limit, long nowMs, long leaseUntilMs) {
    if (limit <= 0) {
      return List.of();
    }
    return inTransaction(
        "due",
        c ->
            new Lease(
                    LEDGER,
                    "LEASED_BY",
                    "LEASE_UNTIL",
                    "\"STATUS\" IN (?, ?) AND \"NEXT_ATTEMPT_AT\" <= ?",
                    SEALED,
                    RETRY,
                    nowMs)
                .take(c, nodeId, limit, nowMs, leaseUntilMs, BATCH_COLUMNS, JdbcStorage::toBatch));
  }

  private static final String BATCH_COLUMNS =
      "\"ID\", \"NONCE\", \"DATA_ENCODED\", \"CONTENT_HASH\", \"ROW_COUNT\", \"ATTEMPTS\"";

  private static Batch toBatch(ResultSet r) throws SQLException {
    return new Batch(
        r.getLong(1), r.getLong(2), r.getString(3), r.getString(4), r.getInt(5), r.getInt(6));
  }

  @Override
  public void settle(long batchId, long nowMs, Settlement outcome) {
    requireNonNull(outcome, "outcome");
    inTransaction(
        "settle",
        c -> {
          String status;
          Long nextAttempt = null;
          Integer httpStatus;
          String reason = null;
          Long settledAt = null;
          if (outcome instanceof Settlement.Delivered d) {
            status = DELIVERED;
            httpStatus = d.status();
            settledAt = nowMs;
          } else if (outcome instanceof Settlement.Retry r) {
            status = RETRY;
            httpStatus = r.status();
            nextAttempt = r.atMs();
          } else if (outcome instanceof Settlement.Failed f) {
            status = FAILED;
            httpStatus = f.status();
            reason = f.reason();
            settledAt = nowMs;
          } else {
            throw new StorageException(StorageException.Kind.OTHER, "storage.settle.outcome");
          }
          // Only the node holding the batch may settle it: the one that sealed it, or the one
          // that took it from due(). Settling releases the lease.
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE "
                      + LEDGER
                      + " SET \"STATUS\" = ?, \"ATTEMPTS\" = \"ATTEMPTS\" + 1,"
                      + " \"NEXT_ATTEMPT_AT\" = ?, \"LAST_STATUS\" = ?, \"REASON\" = ?,"
                      + " \"SETTLED_AT\" = ?, \"LEASED_BY\" = NULL, \"LEASE_UNTIL\" = NULL"
                      + " WHERE \"ID\" = ? AND \"STATUS\" IN (?, ?) AND \"LEASED_BY\" = ?")) {
            u.setString(1, status);
            Sql.setNullableLong(u, 2, nextAttempt);
            if (httpStatus == null) {
              u.setNull(3, Types.INTEGER);
            } else {
              u.setInt(3, httpStatus);
            }
            u.setString(4, reason);
            Sql.setNullableLong(u, 5, settledAt);
            u.setLong(6, batchId);
            u.setString(7, SEALED);
            u.setString(8, RETRY);
            u.setString(9, nodeId);
            if (u.executeUpdate() != 1) {
              throw lostClaim("storage.settle.lost-claim");
            }
          }
          if (!status.equals(RETRY)) {
            try (PreparedStatement u =
                c.prepareStatement(
                    "UPDATE "
                        + EVENTS
                        + " SET \"STATE\" = ?, \"CLAIMED_BY\" = NULL,"
                        + " \"CLAIM_UNTIL\" = NULL WHERE \"BATCH_ID\" = ?")) {
              u.setString(1, status);
              u.setLong(2, batchId);
              u.executeUpdate();
            }
          }
          return null;
        });
  }

  @Override
  public void quarantine(long[] rowIds, String rule) {
    requireNonNull(rowIds, "rowIds");
    requireNonNull(rule, "rule");
    long[] ids = Arrays.stream(rowIds).distinct().toArray();
    if (ids.length == 0) {
      return;
    }
    inTransaction(
        "quarantine",
        c -> {
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE "
                      + EVENTS
                      + " SET \"STATE\" = ?, \"REJECT_RULE\" = ?,"
                      + " \"CLAIMED_BY\" = NULL, \"CLAIM_UNTIL\" = NULL"
                      + " WHERE \"ID\" IN ("
                      + Sql.idList(ids)
                      + ")"
                      + " AND \"STATE\" = ? AND \"CLAIMED_BY\" = ?")) {
            int i = 1;
            u.setString(i++, REJECTED);
            u.setString(i++, rule);
            u.setString(i++, PENDING);
            u.setString(i, nodeId);
            if (u.executeUpdate() != ids.length) {
              throw lostClaim("storage.quarantine.lost-claim");
            }
          }
          return null;
        });
  }

  @Override
  public long purge(long beforeMs) {
    return inTransaction(
        "purge",
        c -> {
          long deleted = 0;
          String settled =
              "SELECT \"ID\" FROM " + LEDGER + " WHERE \"STATUS\" IN (?, ?) AND \"SETTLED_AT\" < ?";
          try (PreparedStatement d =
              c.prepareStatement(
                  "DELETE FROM " + EVENTS + " WHERE \"BATCH_ID\" IN (" + settled + ")")) {
            bindSettled(d, beforeMs);
            deleted += d.executeUpdate();
          }
          try (PreparedStatement d =
              c.prepareStatement("DELETE FROM " + LEDGER + " WHERE \"ID\" IN (" + settled + ")")) {
            bindSettled(d, beforeMs);
            deleted += d.executeUpdate();
          }
          try (PreparedStatement d =
              c.prepareStatement(
                  "DELETE FROM "
                      + EVENTS
                      + " WHERE \"STATE\" = ? AND \"RECORDED_AT\" * 1000 < ?")) {
            d.setString(1, REJECTED);
            d.setLong(2, beforeMs);
            deleted += d.executeUpdate();
          }
          return deleted;
        });
  }

  private static void bindSettled(PreparedStatement p, long beforeMs) throws SQLException {
    p.setString(1, DELIVERED);
    p.setString(2, FAILED);
    p.setLong(3, beforeMs);
  }

  /**
   * The administrator's "delete all analytics data": every event and every ledger row, in one
   * transaction. Settings (mode, secret) are kept. Returns how many rows were deleted.
   */
  public long deleteAll() {
    return queries.deleteAll();
  }

  /** The newest ledger entries first, at most {@code limit}. */
  public List<LedgerEntry> ledger(int limit) {
    return queries.ledger(limit);
  }

  /** One ledger entry by id. */
  public Optional<LedgerEntry> ledgerEntry(long id) {
    return queries.ledgerEntry(id);
  }

  /** How many events are in each state ({@code pending}, {@code sealed}, ...). */
  public Map<String, Long> eventCounts() {
    return queries.eventCounts();
  }

  @Override
  public String toString() {
    return "JdbcStorage[node=" + nodeId + "]";
  }
}
