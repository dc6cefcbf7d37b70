package dev.owly.analytics.storage;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The library's tests' databases: H2 and PostgreSQL are test dependencies here (the library ships
 * neither); the standalone host's own factory is {@code dev.owly.analytics.standalone.DataSources}
 * in the CLI module.
 */
public final class TestDatabases {
  private TestDatabases() {}

  /** An embedded H2 database in {@code dir} (file {@code owly.mv.db}), pooled. */
  public static JdbcConnectionPool h2File(Path dir) {
    requireNonNull(dir, "dir");
    String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("owly") + ";LOCK_TIMEOUT=10000";
    return JdbcConnectionPool.create(url, "sa", "");
  }

  /** A PostgreSQL data source for a {@code jdbc:postgresql:…} URL. */
  public static DataSource postgres(String url) {
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setUrl(requireNonNull(url, "url"));
    return pg;
  }
}
