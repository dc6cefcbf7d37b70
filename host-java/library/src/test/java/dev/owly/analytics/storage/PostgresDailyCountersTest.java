package dev.owly.analytics.storage;

import javax.sql.DataSource;

/** Requires {@code OWLY_PG_URL}; without it these tests fail, they are never skipped. */
class PostgresDailyCountersTest extends DailyCountersContractTest {
  @Override
  DataSource freshDataSource() throws Exception {
    DataSource ds = TestDatabases.postgres(PostgresStorageTest.pgUrl());
    TestDatabases.dropOwlyTables(ds);
    return ds;
  }
}
