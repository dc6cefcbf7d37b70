package dev.owly.analytics.admin;

import dev.owly.analytics.storage.TestDatabases;
import javax.sql.DataSource;

/** Requires {@code OWLY_PG_URL}; without it these tests fail, they are never skipped. */
class PostgresChartQueriesTest extends ChartQueriesContractTest {
  @Override
  DataSource freshDataSource() throws Exception {
    String url = System.getenv("OWLY_PG_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("OWLY_PG_URL is not set: run scripts/pg-start.sh");
    }
    DataSource ds = TestDatabases.postgres(url);
    TestDatabases.dropOwlyTables(ds);
    return ds;
  }
}
