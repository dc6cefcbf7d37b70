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
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's {@code storage} import over JDBC (H2 or PostgreSQL). Every method is one transaction
 * that either commits whole or changes nothing, and is durable when it returns ({@link
 * Durability}). Several nodes may share the database: pending rows are claimed with leases ({@code
 * CLAIMED_BY}/{@code CLAIM_UNTIL}) and due batches with leases ({@code LEASED_BY}/{@code
 * LEASE_UNTIL}); candidates are locked with {@code SELECT … FOR UPDATE SKIP LOCKED} (PostgreSQL and
 * H2 2.3) and taken with an UPDATE that repeats the lease predicate, so a row is never held by two
 * nodes at once.
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
  private final Durability durability;

  private JdbcStorage(Builder builder) {
    this.dataSource = builder.dataSource;
    this.nodeId = builder.nodeId;
    Startup.awaitDatabase(dataSource);
    this.durability = Durability.ensure(dataSource);
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

  public DataSource dataSource() {
    return dataSource;
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} as one transaction; rolls back on any failure. */
  private <T> T inTransaction(String op, Work<T> work) {
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw Schema.unavailable("storage.connect", e);
    }
    try (c) {
      c.setAutoCommit(false);
      try {
        durability.begin(c);
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw translate("storage." + op, e);
    }
  }

  /** Maps a driver exception onto the WIT storage-error cases by SQLSTATE, never by message. */
  static StorageException translate(String code, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    boolean transientFailure =
        e instanceof SQLTransientException
            || state.startsWith("08") // connection exception
            || state.startsWith("57") // operator intervention (PostgreSQL shutdown)
            || state.equals("40001") // serialization failure
            || state.equals("40P01") // deadlock (PostgreSQL)
            || state.equals("55P03") // lock not available (PostgreSQL)
            || state.equals("HYT00") // lock timeout (H2)
            || state.equals("90098"); // database closed (H2)
    return new StorageException(
        transientFailure ? StorageException.Kind.UNAVAILABLE : StorageException.Kind.OTHER,
        code + " (sqlstate " + state + ")",
        e);
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
        c -> {
          List<Long> candidates = new ArrayList<>();
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT \"ID\" FROM "
                      + EVENTS
                      + " WHERE \"STATE\" = ? AND (\"CLAIMED_BY\" IS NULL OR \"CLAIM_UNTIL\" < ?"
                      + " OR \"CLAIMED_BY\" = ?)"
                      + " ORDER BY \"ID\" LIMIT ? FOR UPDATE SKIP LOCKED")) {
            p.setString(1, PENDING);
            p.setLong(2, nowMs);
            p.setString(3, nodeId);
            p.setInt(4, limit);
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                candidates.add(r.getLong(1));
              }
            }
          }
          if (candidates.isEmpty()) {
            return List.of();
          }
          // One set-based UPDATE (not one per row), repeating the lease predicate: a row another
          // node took between our SELECT and this UPDATE (possible where SKIP LOCKED is weaker)
          // is simply not ours, and the re-read below only returns rows carrying our lease.
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE "
                      + EVENTS
                      + " SET \"CLAIMED_BY\" = ?, \"CLAIM_UNTIL\" = ?"
                      + " WHERE \"ID\" IN ("
                      + idList(candidates)
                      + ") AND \"STATE\" = ?"
                      + " AND (\"CLAIMED_BY\" IS NULL OR \"CLAIM_UNTIL\" < ? OR \"CLAIMED_BY\" = ?)")) {
            int i = 1;
            u.setString(i++, nodeId);
            u.setLong(i++, leaseUntilMs);
            u.setString(i++, PENDING);
            u.setLong(i++, nowMs);
            u.setString(i, nodeId);
            u.executeUpdate();
          }
          List<Row> rows = new ArrayList<>(candidates.size());
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT "
                      + ROW_COLUMNS
                      + " FROM "
                      + EVENTS
                      + " WHERE \"ID\" IN ("
                      + idList(candidates)
                      + ") AND \"STATE\" = ? AND \"CLAIMED_BY\" = ? AND \"CLAIM_UNTIL\" = ?"
                      + " ORDER BY \"ID\"")) {
            int i = 1;
            p.setString(i++, PENDING);
            p.setString(i++, nodeId);
            p.setLong(i, leaseUntilMs);
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                rows.add(toRow(r));
              }
            }
          }
          return withoutUnencodable(c, rows);
        });
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
                + idList(bad)
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

  /**
   * Ids written into the SQL as numeric literals rather than bound parameters: they are longs from
   * our own tables (nothing to inject), and H2 evaluates a parameter IN-list linearly per row (500
   * x 500 comparisons per statement, a quarter of a 10k-row flush) but a literal list through a
   * hash set.
   */
  private static String idList(List<Long> ids) {
    return idList(ids.stream().mapToLong(Long::longValue).toArray());
  }

  private static String idList(long[] ids) {
    StringBuilder out = new StringBuilder(ids.length * 8);
    for (long id : ids) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(id);
    }
    return out.toString();
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
                      + idList(ids)
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
                      + idList(ids)
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
        c -> {
          List<Long> candidates = new ArrayList<>();
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT \"ID\" FROM "
                      + LEDGER
                      + " WHERE \"STATUS\" IN (?, ?) AND \"NEXT_ATTEMPT_AT\" <= ?"
                      + " AND (\"LEASED_BY\" IS NULL OR \"LEASE_UNTIL\" < ? OR \"LEASED_BY\" = ?)"
                      + " ORDER BY \"ID\" LIMIT ? FOR UPDATE SKIP LOCKED")) {
            p.setString(1, SEALED);
            p.setString(2, RETRY);
            p.setLong(3, nowMs);
            p.setLong(4, nowMs);
            p.setString(5, nodeId);
            p.setInt(6, limit);
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                candidates.add(r.getLong(1));
              }
            }
          }
          List<Long> taken = new ArrayList<>();
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE "
                      + LEDGER
                      + " SET \"LEASED_BY\" = ?, \"LEASE_UNTIL\" = ?"
                      + " WHERE \"ID\" = ? AND \"STATUS\" IN (?, ?) AND \"NEXT_ATTEMPT_AT\" <= ?"
                      + " AND (\"LEASED_BY\" IS NULL OR \"LEASE_UNTIL\" < ? OR \"LEASED_BY\" = ?)")) {
            for (long id : candidates) {
              u.setString(1, nodeId);
              u.setLong(2, leaseUntilMs);
              u.setLong(3, id);
              u.setString(4, SEALED);
              u.setString(5, RETRY);
              u.setLong(6, nowMs);
              u.setLong(7, nowMs);
              u.setString(8, nodeId);
              if (u.executeUpdate() == 1) {
                taken.add(id);
              }
            }
          }
          List<Batch> batches = new ArrayList<>(taken.size());
          if (taken.isEmpty()) {
            return batches;
          }
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT \"ID\", \"NONCE\", \"DATA_ENCODED\", \"CONTENT_HASH\", \"ROW_COUNT\","
                      + " \"ATTEMPTS\" FROM "
                      + LEDGER
                      + " WHERE \"ID\" IN ("
                      + idList(taken)
                      + ") ORDER BY \"ID\"")) {
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                batches.add(
                    new Batch(
                        r.getLong(1),
                        r.getLong(2),
                        r.getString(3),
                        r.getString(4),
                        r.getInt(5),
                        r.getInt(6)));
              }
            }
          }
          return withoutUnencodableBatches(c, batches, nowMs);
        });
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
                + idList(bad)
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
                + idList(bad)
                + ")")) {
      u.setString(1, FAILED);
      u.executeUpdate();
    }
    LOG.warn("owly {} failed-batches={}", ENCODING_RULE, bad.size());
    return clean;
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
            setNullableLong(u, 2, nextAttempt);
            if (httpStatus == null) {
              u.setNull(3, Types.INTEGER);
            } else {
              u.setInt(3, httpStatus);
            }
            u.setString(4, reason);
            setNullableLong(u, 5, settledAt);
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

  private static void setNullableLong(PreparedStatement p, int index, Long value)
      throws SQLException {
    if (value == null) {
      p.setNull(index, Types.BIGINT);
    } else {
      p.setLong(index, value);
    }
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
                      + idList(ids)
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
    return inTransaction(
        "delete-all",
        c -> {
          try (Statement s = c.createStatement()) {
            return (long) s.executeUpdate("DELETE FROM " + EVENTS)
                + s.executeUpdate("DELETE FROM " + LEDGER);
          }
        });
  }

  /** The newest ledger entries first, at most {@code limit}. */
  public List<LedgerEntry> ledger(int limit) {
    return inTransaction(
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

  /** One ledger entry by id. */
  public Optional<LedgerEntry> ledgerEntry(long id) {
    return inTransaction(
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

  /** How many events are in each state ({@code pending}, {@code sealed}, ...). */
  public Map<String, Long> eventCounts() {
    return inTransaction(
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

  private static final String LEDGER_SELECT =
      "SELECT \"ID\", \"NONCE\", \"CONTENT_HASH\", \"DATA_ENCODED\", \"ROW_COUNT\", \"STATUS\","
          + " \"ATTEMPTS\", \"SEALED_AT\", \"NEXT_ATTEMPT_AT\", \"LAST_STATUS\", \"REASON\","
          + " \"SETTLED_AT\" FROM "
          + LEDGER;

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
        nullableLong(r, 9),
        (Integer) r.getObject(10),
        r.getString(11),
        nullableLong(r, 12));
  }

  private static Long nullableLong(ResultSet r, int index) throws SQLException {
    long v = r.getLong(index);
    return r.wasNull() ? null : v;
  }

  @Override
  public String toString() {
    return "JdbcStorage[node=" + nodeId + "]";
  }
}
