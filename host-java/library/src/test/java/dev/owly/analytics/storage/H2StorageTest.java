package dev.owly.analytics.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.spi.Row;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract on an embedded H2 file database, the default; plus what only H2 can hold: a
 * lone surrogate edited into a row (PostgreSQL's text is valid UTF-8 by construction).
 */
class H2StorageTest extends StorageContractTest {
  @TempDir Path dir;
  private JdbcConnectionPool pool;

  @Override
  DataSource freshDataSource() {
    pool = TestDatabases.h2File(dir);
    pool.setMaxConnections(16);
    return pool;
  }

  @AfterEach
  void closePool() {
    pool.dispose();
  }

  void edit(String sql, Object... values) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        p.setObject(i + 1, values[i]);
      }
      assertEquals(1, p.executeUpdate());
    }
  }

  @Test
  void claimQuarantinesARowThatCannotBeEncodedAndReturnsTheCleanOnes() throws Exception {
    List<Long> ids = appendRows(10);
    edit(
        "UPDATE \"AO_OWLY_EVENT_AO\" SET \"NAME\" = ? WHERE \"ID\" = ?",
        "owly.view.\uD800",
        ids.get(4));
    List<Row> claimed = nodeA.claim(10, T0, T0 + LEASE);
    assertEquals(9, claimed.size());
    assertTrue(claimed.stream().noneMatch(r -> r.id() == ids.get(4)));
    assertEquals(
        1,
        count(
            "SELECT COUNT(*) FROM \"AO_OWLY_EVENT_AO\" WHERE \"STATE\" = 'rejected'"
                + " AND \"REJECT_RULE\" = 'storage.encoding' AND \"CLAIMED_BY\" IS NULL"));
    assertEquals(9, nodeA.peek(20).size(), "a preview skips it too");
  }

  @Test
  void peekSkipsAnUnencodableRowWithoutChangingIt() throws Exception {
    List<Long> ids = appendRows(3);
    edit(
        "UPDATE \"AO_OWLY_EVENT_AO\" SET \"ATTRIBUTES\" = ? WHERE \"ID\" = ?",
        "{\"format\":\"\uDC00\"}",
        ids.get(0));
    assertEquals(ids.subList(1, 3), nodeA.peek(10).stream().map(Row::id).toList());
    assertEquals(3, eventsIn("pending"));
  }

  @Test
  void dueFailsABatchWhoseStoredPayloadCannotBeEncoded() throws Exception {
    appendRows(4);
    List<Row> claimed = nodeA.claim(4, T0, T0 + LEASE);
    long bad = nodeA.seal(batch(101, claimed.subList(0, 2), T0));
    long good = nodeA.seal(batch(102, claimed.subList(2, 4), T0));
    edit("UPDATE \"AO_OWLY_LEDGER_AO\" SET \"DATA_ENCODED\" = ? WHERE \"ID\" = ?", "\uD800", bad);
    assertEquals(
        List.of(good),
        nodeB.due(10, T0 + LEASE + 1, T0 + 2 * LEASE).stream().map(b -> b.id()).toList());
    assertEquals(
        1,
        count(
            "SELECT COUNT(*) FROM \"AO_OWLY_LEDGER_AO\" WHERE \"STATUS\" = 'failed'"
                + " AND \"REASON\" = 'storage.encoding'"));
    assertEquals(2, eventsIn("failed"));
  }
}
