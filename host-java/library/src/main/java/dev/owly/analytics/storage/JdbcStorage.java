package dev.owly.analytics.storage;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.spi.Batch;
import dev.owly.analytics.spi.NewBatch;
import dev.owly.analytics.spi.NewRow;
import dev.owly.analytics.spi.Row;
import dev.owly.analytics.spi.Settlement;
import dev.owly.analytics.spi.Storage;
import dev.owly.analytics.spi.StorageException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's {@code storage} import over JDBC (H2 or PostgreSQL). Every method is one transaction
 * that either commits whole or changes nothing. Several nodes may share the database: pending rows
 * are claimed with leases ({@code CLAIMED_BY}/{@code CLAIM_UNTIL}) and due batches with leases
 * ({@code LEASED_BY}/{@code LEASE_UNTIL}), both taken by {@link Lease} ({@code SELECT … FOR UPDATE
 * SKIP LOCKED}, then an UPDATE that repeats the lease predicate), so a row is never held by two
 * nodes at once. The administrator's reads and "delete all" are {@link LedgerQueries}. Every call
 * is durable when it returns ({@link Durability}).
 *
 * <p>A lease is free when it expired <em>or is held by this node</em>: a node id is stable across
 * restarts, so a restarted node takes back the rows and the batch its previous life left claimed or
 * half-sent at once instead of after the lease. The price: two flushes of one node running at the
 * same time may take each other's rows and batches. That never delivers an event twice -- a row is
 * sealed once ({@code seal} moves only rows still pending and claimed by this node, in one
 * transaction with the ledger row) and a batch keeps its nonce on every resend -- but may send a
 * batch twice (the collector answers the second with "duplicate"). {@code Owly} runs one flush at a
 * time per node; two processes must not share a node id.
 */
public final class JdbcStorage implements Storage {
  static final String PENDING = "pending";
  static final String SEALED = "sealed";
  static final String DELIVERED = "delivered";
  static final String FAILED = "failed";
  static final String REJECTED = "rejected";
  static final String RETRY = "retry";

  /** The rule of a stored row or batch whose text is not valid Unicode (a lone surrogate). */
  public static final String ENCODING_RULE = "storage.encoding";

  private static final Logger LOG = LoggerFactory.getLogger(JdbcStorage.class);

  private static final String EVENTS = "\"" + Schema.EVENT_TABLE + "\"";
  private static final String LEDGER = "\"" + Schema.LEDGER_TABLE + "\"";
  private static final String ROW_COLUMNS =
      "\"ID\", \"NAME\", \"TENANT\", \"PRODUCT_VERSION\", \"APP_VERSION\", \"RECORDED_AT\","
          + " \"ATTRIBUTES\"";

  private final DataSource dataSource;
  private final String nodeId;
  private final LedgerQueries queries;
  private final Durability durability;

  private JdbcStorage(Builder builder) {
    this.dataSource = builder.dataSource;
    this.nodeId = builder.nodeId;
    Startup.awaitDatabase(dataSource);
    this.durability = Durability.ensure(dataSource);
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
    private String nodeId = defaultNodeId();
    private boolean migrate = true;

    private Builder(DataSource dataSource) {
      this.dataSource = requireNonNull(dataSource, "dataSource");
    }

    /**
     * Names this cluster node in claims and leases: unique per node, and the same after a restart
     * (default: {@link #defaultNodeId()}). A Data Center plugin passes the cluster's node id.
     */
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

  /**
   * The node id used when none is given: {@code <host name>-<8 hex digits of the SHA-256 of the
   * working directory>}, the same across restarts of one installation and different for nodes on
   * other hosts or started from other directories. Two nodes on one host started from one directory
   * (e.g. by systemd, from {@code /}) would share it: a cluster passes its own node ids.
   */
  public static String defaultNodeId() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      host = System.getenv("COMPUTERNAME");
    }
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException | SecurityException e) {
        host = "host";
      }
    }
    host = host.replaceAll("[^A-Za-z0-9._-]", "_");
    if (host.length() > 64) {
      host = host.substring(0, 64);
    }
    String dir = Path.of("").toAbsolutePath().normalize().toString();
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(dir.getBytes(StandardCharsets.UTF_8));
      return host + "-" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Runs {@code work} as one transaction; rolls back on any failure. */
  private <T> T inTransaction(String op, Transactions.Work<T> work) {
    return Transactions.run(dataSource, durability, op, work);
  }

  private static StorageException lostClaim(String code) {
    return new StorageException(StorageException.Kind.LOST_CLAIM, code);
  }

  @Override
  public long append(NewRow row) {
    requireNonNull(row, "row");
    return Transactions.single(
        dataSource,
        durability,
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
            withoutUnencodable(
                c,
                new Lease(EVENTS, "CLAIMED_BY", "CLAIM_UNTIL", "\"STATE\" = ?", PENDING)
                    .take(c, nodeId, limit, nowMs, leaseUntilMs, ROW_COLUMNS, JdbcStorage::toRow)));
  }

  /**
   * Quarantines claimed rows whose text is not valid Unicode -- a lone surrogate edited into the
   * database cannot be encoded for the core, and would otherwise fail every flush that claims it
   * and hold back the clean rows claimed with it -- and returns the others.
   */
  private List<Row> withoutUnencodable(Connection c, List<Row> rows) throws SQLException {
    List<Long> bad = new ArrayList<>();
    List<Row> clean = new ArrayList<>(rows.size());
    for (Row row : rows) {
      if (encodable(row.data())) {
        clean.add(row);
      } else {
        bad.add(row.id());
      }
    }
    if (bad.isEmpty()) {
      return rows;
    }
    try (PreparedStatement u =
        c.prepareStatement(
            "UPDATE "
                + EVENTS
                + " SET \"STATE\" = ?, \"REJECT_RULE\" = ?, \"CLAIMED_BY\" = NULL,"
                + " \"CLAIM_UNTIL\" = NULL WHERE \"ID\" IN ("
                + Sql.idList(bad)
                + ") AND \"STATE\" = ? AND \"CLAIMED_BY\" = ?")) {
      u.setString(1, REJECTED);
      u.setString(2, ENCODING_RULE);
      u.setString(3, PENDING);
      u.setString(4, nodeId);
      u.executeUpdate();
    }
    LOG.warn("owly {} quarantined={}", ENCODING_RULE, bad.size());
    return clean;
  }

  private static boolean encodable(NewRow r) {
    return wellFormed(r.name())
        && wellFormed(r.tenant())
        && wellFormed(r.productVersion())
        && wellFormed(r.appVersion())
        && wellFormed(r.attributes());
  }

  /** Whether {@code s} is valid UTF-16: every surrogate is one half of a pair. */
  static boolean wellFormed(String s) {
    if (s == null) {
      return true;
    }
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(ch)) {
        return false;
      }
    }
    return true;
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
                Row row = toRow(r);
                // Unencodable rows are quarantined by the next claim; a preview skips them.
                if (encodable(row.data())) {
                  rows.add(row);
                }
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
            withoutUnencodableBatches(
                c,
                new Lease(
                        LEDGER,
                        "LEASED_BY",
                        "LEASE_UNTIL",
                        "\"STATUS\" IN (?, ?) AND \"NEXT_ATTEMPT_AT\" <= ?",
                        SEALED,
                        RETRY,
                        nowMs)
                    .take(
                        c, nodeId, limit, nowMs, leaseUntilMs, BATCH_COLUMNS, JdbcStorage::toBatch),
                nowMs));
  }

  /**
   * Fails sealed batches whose stored text was edited into something that is not valid Unicode:
   * they can never be sent as sealed (the content hash would not match anyway), and must not stop
   * the batches due with them.
   */
  private List<Batch> withoutUnencodableBatches(Connection c, List<Batch> batches, long nowMs)
      throws SQLException {
    List<Long> bad = new ArrayList<>();
    List<Batch> clean = new ArrayList<>(batches.size());
    for (Batch b : batches) {
      if (wellFormed(b.dataEncoded()) && wellFormed(b.contentHash())) {
        clean.add(b);
      } else {
        bad.add(b.id());
      }
    }
    if (bad.isEmpty()) {
      return batches;
    }
    try (PreparedStatement u =
        c.prepareStatement(
            "UPDATE "
                + LEDGER
                + " SET \"STATUS\" = ?, \"REASON\" = ?, \"SETTLED_AT\" = ?,"
                + " \"LEASED_BY\" = NULL, \"LEASE_UNTIL\" = NULL WHERE \"ID\" IN ("
                + Sql.idList(bad)
                + ")")) {
      u.setString(1, FAILED);
      u.setString(2, ENCODING_RULE);
      u.setLong(3, nowMs);
      u.executeUpdate();
    }
    try (PreparedStatement u =
        c.prepareStatement(
            "UPDATE "
                + EVENTS
                + " SET \"STATE\" = ?, \"CLAIMED_BY\" = NULL, \"CLAIM_UNTIL\" = NULL"
                + " WHERE \"BATCH_ID\" IN ("
                + Sql.idList(bad)
                + ")")) {
      u.setString(1, FAILED);
      u.executeUpdate();
    }
    LOG.warn("owly {} failed-batches={}", ENCODING_RULE, bad.size());
    return clean;
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
   * The administrator's "delete all analytics data": every event, every ledger row, the counters
   * and the delivery health, in one transaction. Settings (mode, secret) are kept. Returns how many
   * events and ledger rows were deleted.
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
