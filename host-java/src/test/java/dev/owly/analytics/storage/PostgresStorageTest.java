package dev.owly.analytics.storage;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/**
 * The storage contract on a real PostgreSQL. Requires {@code OWLY_PG_URL} (see {@code
 * scripts/pg-start.sh}); without it these tests fail, they are never skipped.
 */
class PostgresStorageTest extends StorageContractTest {
  static String pgUrl() {
    String url = System.getenv("OWLY_PG_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException(
          "OWLY_PG_URL is not set: run scripts/pg-start.sh and export the line it prints");
    }
    return url;
  }

  /** One pool for the whole class: the tests empty the tables, not the server's connections. */
  private static HikariDataSource pool;

  @AfterAll
  static void closePool() {
    if (pool != null) {
      pool.close();
    }
  }

  @Override
  DataSource freshDataSource() throws Exception {
    if (pool == null) {
      pool = DataSources.forUrl(pgUrl());
    }
    DataSource ds = pool;
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (String table :
          new String[] {
            Schema.EVENT_TABLE, Schema.LEDGER_TABLE, Schema.SETTING_TABLE, Schema.VERSION_TABLE
          }) {
        s.execute("DROP TABLE IF EXISTS \"" + table + "\"");
      }
    }
    return ds;
  }
}
