package dev.owly.analytics.storage;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Connection pools (HikariCP). Without one, each storage call opens a connection -- a PostgreSQL
 * login, or the whole embedded H2 database, which H2 then reopens with its default {@code
 * WRITE_DELAY} (see {@link Durability}) -- and costs far more than the call.
 */
public final class Pools {
  /** Longest a caller waits for a pooled connection: a database that is down fails fast. */
  private static final long CONNECTION_TIMEOUT_MS = 3_000;

  /**
   * The data sources that open a new physical connection on every {@code getConnection()}: the
   * drivers' own and Spring's driver-manager ones.
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

  private Pools() {}

  /** Whether {@code dataSource} is one of the known kinds that open a connection per call. */
  public static boolean isUnpooled(DataSource dataSource) {
    return UNPOOLED.contains(dataSource.getClass().getName());
  }

  /** A pool of at most {@code maxConnections} over a data source that opens one per call. */
  public static HikariDataSource over(DataSource unpooled, int maxConnections) {
    HikariConfig config = config("owly-wrapped");
    config.setDataSource(requireNonNull(unpooled, "unpooled"));
    config.setMaximumPoolSize(maxConnections);
    return new HikariDataSource(config);
  }

  /** A pool for a JDBC URL (the driver must be on the class path). */
  public static HikariDataSource forUrl(String url, String user, String password) {
    HikariConfig config = config("owly");
    config.setJdbcUrl(requireNonNull(url, "url"));
    if (user != null) {
      config.setUsername(user);
      config.setPassword(password);
    }
    return new HikariDataSource(config);
  }

  private static HikariConfig config(String name) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setMaximumPoolSize(8);
    // One connection stays open: an embedded H2 database is not closed and reopened between calls.
    config.setMinimumIdle(1);
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
    // Building never fails because the database is briefly away: the first use reports it as
    // storage.unavailable, like every later outage.
    config.setInitializationFailTimeout(-1);
    return config;
  }
}
