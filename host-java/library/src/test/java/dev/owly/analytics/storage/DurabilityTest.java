package dev.owly.analytics.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.spi.StorageException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Commits are durable whatever data source is handed in: fixed where a setting allows it, refused
 * with the fix named where not. (That a commit then survives kill -9 is shown across processes by
 * the fault harness, tests/faults.)
 */
class DurabilityTest {
  @TempDir Path dir;

  private static String one(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }

  private static final String H2_WRITE_DELAY =
      "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'";

  /** Every WRITE_DELAY row H2 lists (after a reopen it lists the stored and the opening one). */
  private static String delays(Connection c) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(H2_WRITE_DELAY)) {
      while (r.next()) {
        out.append(out.length() == 0 ? "" : ",").append(r.getString(1));
      }
    }
    return out.toString();
  }

  @Test
  void h2WithItsDefaultWriteDelayIsMadeDurableAtEveryStart() throws Exception {
    JdbcDataSource ds = new JdbcDataSource(); // as a plugin author would: the default URL
    ds.setURL("jdbc:h2:file:" + dir.resolve("owly"));
    ds.setUser("sa");
    for (int start = 0; start < 2; start++) {
      try (Connection keepOpen = ds.getConnection()) {
        assertTrue(
            delays(keepOpen).contains("500"), "H2 opens with its default: " + delays(keepOpen));
        JdbcStorage.builder(ds).withNodeId("node-a").build();
        assertEquals("0,0", delays(keepOpen));
      } // the last connection closes: H2 closes the database, and reopens it with 500
    }
  }

  @Test
  void h2WithAWriteDelayTheUserMayNotChangeIsRefusedNamingTheFix() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("owly");
    try (Connection admin = DriverManager.getConnection(url, "sa", "");
        Statement s = admin.createStatement()) {
      s.execute("CREATE USER APP PASSWORD 'fake-password'");
      s.execute("GRANT ALL ON SCHEMA PUBLIC TO APP");
      s.execute("SET WRITE_DELAY 500");
      JdbcDataSource app = new JdbcDataSource();
      app.setURL(url);
      app.setUser("APP");
      app.setPassword("fake-password");
      StorageException e =
          assertThrows(
              StorageException.class, () -> JdbcStorage.builder(app).withNodeId("n").build());
      assertTrue(
          e.getMessage().startsWith("storage.durability: H2 WRITE_DELAY=500"), e.getMessage());
      assertTrue(e.getMessage().contains(";WRITE_DELAY=0"), e.getMessage());
    }
  }

  @Test
  void h2InMemoryIsRefused() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:durability");
    StorageException e =
        assertThrows(StorageException.class, () -> JdbcStorage.builder(ds).build());
    assertTrue(e.getMessage().contains("in-memory"), e.getMessage());
  }

  @Test
  void postgresWithSynchronousCommitOffIsDurableInOurTransactionsOnly() throws Exception {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(PostgresStorageTest.pgUrl());
    ds.setOptions("-c synchronous_commit=off"); // e.g. from a role, a database or the URL
    Durability durability = Durability.ensure(ds);
    try (Connection c = ds.getConnection()) {
      assertEquals("off", one(c, "SHOW synchronous_commit"));
      c.setAutoCommit(false);
      durability.begin(c);
      assertEquals("on", one(c, "SHOW synchronous_commit"), "inside our transaction");
      c.commit();
      assertEquals("off", one(c, "SHOW synchronous_commit"), "the session is left as it was");
    }
  }

  @Test
  void postgresWithDefaultSettingsNeedsNothingPerTransaction() throws Exception {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(PostgresStorageTest.pgUrl());
    Durability durability = Durability.ensure(ds);
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      durability.begin(c);
      assertEquals("on", one(c, "SHOW synchronous_commit"));
      c.rollback();
    }
  }
}
