package dev.owly.analytics.storage;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on an embedded H2 file database, the default. */
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
}
