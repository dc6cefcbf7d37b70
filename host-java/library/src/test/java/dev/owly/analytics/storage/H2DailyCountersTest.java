package dev.owly.analytics.storage;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class H2DailyCountersTest extends DailyCountersContractTest {
  @TempDir Path dir;
  JdbcConnectionPool pool;

  @Override
  DataSource freshDataSource() {
    pool = TestDatabases.h2File(dir.resolve("db"));
    return pool;
  }

  @AfterEach
  void close() {
    pool.dispose();
  }
}
