package dev.owly.analytics.admin;

import dev.owly.analytics.storage.TestDatabases;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class H2ChartQueriesTest extends ChartQueriesContractTest {
  @TempDir Path dir;
  JdbcConnectionPool pool;

  @Override
  DataSource freshDataSource() {
    pool = TestDatabases.h2File(dir.resolve("db"));
    return pool;
  }

  @AfterEach
  void dispose() {
    close();
    opened.clear();
    pool.dispose();
  }
}
