package dev.owly.analytics.storage;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Set;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * Data sources for the standalone host, the CLI and tests; a DC plugin passes its own. Every one
 * returned here is pooled: without a pool each storage call opens a connection (a PostgreSQL login,
 * or the whole embedded H2 database), which costs far more than the call.
 */
public final class DataSources {
  /** Longest a caller waits for a pooled connection; a database that is down fails fast. */
  private static final long CONNECTION_TIMEOUT_MS = 3_000;

  /**
   * The class names of the data sources that open a new physical connection on every {@code
   * getConnection()} (the drivers' own, and Spring's driver-manager ones).
   */
  private static final Set<String> UNPOOLED =
      Set.of(
          "org.h2.jdbcx.JdbcDataSource",
          "org.postgresql.ds.PGSimpleDataSource",
          "org.postgresql.jdbc2.optional.SimpleDataSource",
          "org.mariadb.jdbc.MariaDbDataSource",
          "com.mysql.cj.jdbc.MysqlDataSource",
          "com.mysql.cj.jdbc.MysqlConnectionPoolDataSource",
          "org.springframework.jdbc.datasource.DriverManagerDataSource",
          "org.springframework.jdbc.datasource.SimpleDriverDataSource");

  private DataSources() {}

  /**
   * An embedded H2 database in {@code dir} (file {@code owly.mv.db}), pooled by H2's own pool, for
   * one JVM. Commits are durable ({@code WRITE_DELAY=0}, see {@link Durability}).
   */
  public static JdbcConnectionPool h2File(Path dir) {
    requireNonNull(dir, "dir");
    String url =
        "jdbc:h2:file:"
            + dir.toAbsolutePath().resolve("owly")
            + ";LOCK_TIMEOUT=10000;WRITE_DELAY=0";
    return JdbcConnectionPool.create(url, "sa", "");
  }

  /**
   * A pooled data source (HikariCP) for a JDBC URL: {@code jdbc:h2:…} or {@code jdbc:postgresql:…}.
   * Close it ({@link HikariDataSource#close()}) when done.
   */
  public static HikariDataSource forUrl(String url) {
    requireNonNull(url, "url");
    if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("unsupported JDBC URL scheme");
    }
    HikariConfig config = config("owly");
    config.setJdbcUrl(url);
    if (url.startsWith("jdbc:h2:")) {
      config.setUsername("sa");
      config.setPassword("");
    }
    return new HikariDataSource(config);
  }

  /** A small HikariCP pool over a data source that opens a connection per call. */
  public static HikariDataSource pooled(DataSource unpooled, int maxConnections) {
    requireNonNull(unpooled, "unpooled");
    HikariConfig config = config("owly-wrapped");
    config.setDataSource(unpooled);
    config.setMaximumPoolSize(maxConnections);
    return new HikariDataSource(config);
  }

  /** Whether {@code dataSource} is one of the known kinds that open a connection per call. */
  public static boolean isUnpooled(DataSource dataSource) {
    return UNPOOLED.contains(dataSource.getClass().getName());
  }

  private static HikariConfig config(String name) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setMaximumPoolSize(8);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
    // Building the pool never fails because the database is briefly away: the first use reports
    // it as storage.unavailable, as every later outage is.
    config.setInitializationFailTimeout(-1);
    return config;
  }
}
