package dev.owly.analytics.collector;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.OwlyException;
import dev.owly.analytics.storage.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * The collector's own tables: {@code OWLY_COLLECTOR_PAYLOAD} (one row per accepted nonce, with the
 * exact body) and {@code OWLY_COLLECTOR_ROW} (the rows it carried). The nonce is the primary key,
 * which is what makes de-duplication safe under concurrent requests.
 */
public final class CollectorStore {
  static final String PAYLOADS = "\"OWLY_COLLECTOR_PAYLOAD\"";
  static final String ROWS = "\"OWLY_COLLECTOR_ROW\"";

  /** What storing a verified payload did. */
  public enum Outcome {
    /** First time this nonce was seen: stored. */
    ACCEPTED,
    /** Seen before with the same content hash: nothing stored again. */
    DUPLICATE,
    /** Seen before with another content hash: refused. */
    CONFLICT
  }

  private final DataSource dataSource;

  public CollectorStore(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      String text = Dialect.of(c).textType();
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + PAYLOADS
              + " ("
              + "\"NONCE\" BIGINT NOT NULL PRIMARY KEY,"
              + "\"CONTENT_HASH\" VARCHAR(40) NOT NULL,"
              + "\"TENANT\" VARCHAR(64) NOT NULL,"
              + "\"ROW_COUNT\" INTEGER NOT NULL,"
              + "\"STEP_OFFSET\" INTEGER NOT NULL,"
              + "\"RECEIVED_AT\" BIGINT NOT NULL,"
              + "\"BODY\" "
              + text
              + " NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + ROWS
              + " ("
              + "\"NONCE\" BIGINT NOT NULL,"
              + "\"ROW_ID\" BIGINT NOT NULL,"
              + "\"TENANT\" VARCHAR(64) NOT NULL,"
              + "\"NAME\" VARCHAR(255) NOT NULL,"
              + "\"ROW_JSON\" "
              + text
              + " NOT NULL,"
              + "PRIMARY KEY (\"NONCE\", \"ROW_ID\"))");
    } catch (SQLException e) {
      throw new OwlyException("collector.store.schema", e);
    }
  }

  /** Stores a verified payload unless its nonce was seen; one transaction. */
  public Outcome store(
      long nonce,
      String contentHash,
      String tenant,
      int stepOffset,
      long receivedAt,
      String body,
      List<String> rows) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        String seen = hashOf(c, nonce);
        if (seen != null) {
          c.rollback();
          return seen.equals(contentHash) ? Outcome.DUPLICATE : Outcome.CONFLICT;
        }
        try (PreparedStatement p =
            c.prepareStatement("INSERT INTO " + PAYLOADS + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          p.setLong(1, nonce);
          p.setString(2, contentHash);
          p.setString(3, tenant);
          p.setInt(4, rows.size());
          p.setInt(5, stepOffset);
          p.setLong(6, receivedAt);
          p.setString(7, body);
          p.executeUpdate();
        }
        try (PreparedStatement p =
            c.prepareStatement("INSERT INTO " + ROWS + " VALUES (?, ?, ?, ?, ?)")) {
          for (String row : rows) {
            DataRows.Head head =
                DataRows.head(row).orElseThrow(() -> new SQLException("row head", "22000"));
            p.setLong(1, nonce);
            p.setLong(2, head.id());
            p.setString(3, head.tenant());
            p.setString(4, head.name());
            p.setString(5, row);
            p.addBatch();
          }
          p.executeBatch();
        }
        c.commit();
        return Outcome.ACCEPTED;
      } catch (SQLException e) {
        c.rollback();
        // A concurrent request with the same nonce won the insert: answer as if we came second.
        String seen = hashOf(c, nonce);
        c.rollback();
        if (seen != null) {
          return seen.equals(contentHash) ? Outcome.DUPLICATE : Outcome.CONFLICT;
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new OwlyException("collector.store", e);
    }
  }

  private static String hashOf(Connection c, long nonce) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("SELECT \"CONTENT_HASH\" FROM " + PAYLOADS + " WHERE \"NONCE\" = ?")) {
      p.setLong(1, nonce);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  /** How many payloads and rows are stored. */
  public long[] counts() {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT (SELECT COUNT(*) FROM "
                    + PAYLOADS
                    + "), (SELECT COUNT(*) FROM "
                    + ROWS
                    + ")")) {
      r.next();
      return new long[] {r.getLong(1), r.getLong(2)};
    } catch (SQLException e) {
      throw new OwlyException("collector.store.count", e);
    }
  }
}
