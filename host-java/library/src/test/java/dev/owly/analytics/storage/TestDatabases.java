package dev.owly.analytics.storage;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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

  /** Drops every Owly table, so the next migration starts from an empty database. */
  public static void dropOwlyTables(DataSource ds) throws SQLException {
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
  }
}
