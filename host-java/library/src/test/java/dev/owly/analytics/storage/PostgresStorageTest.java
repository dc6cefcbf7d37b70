package dev.owly.analytics.storage;

import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;

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

  @Override
  DataSource freshDataSource() throws Exception {
    DataSource ds = TestDatabases.postgres(pgUrl());
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (String table :
          new String[] {
            Schema.EVENT_TABLE,
            Schema.LEDGER_TABLE,
            Schema.SETTING_TABLE,
            Schema.COUNTER_TABLE,
            Schema.DELIVERY_TABLE,
            Schema.VERSION_TABLE
          }) {
        s.execute("DROP TABLE IF EXISTS \"" + table + "\"");
      }
    }
    return ds;
  }
}
