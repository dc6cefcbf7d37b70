package dev.owly.analytics.standalone;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGSimpleDataSource;

/** Data sources for the standalone host, the CLI and tests; a DC plugin passes its own. */
public final class DataSources {
  private DataSources() {}

  /** An embedded H2 database in {@code dir} (file {@code owly.mv.db}), pooled, for one JVM. */
  public static JdbcConnectionPool h2File(Path dir) {
    requireNonNull(dir, "dir");
    String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("owly") + ";LOCK_TIMEOUT=10000";
    return JdbcConnectionPool.create(url, "sa", "");
  }

  /** A data source for a JDBC URL: {@code jdbc:h2:…} (pooled) or {@code jdbc:postgresql:…}. */
  public static DataSource forUrl(String url) {
    requireNonNull(url, "url");
    if (url.startsWith("jdbc:h2:")) {
      return JdbcConnectionPool.create(url, "sa", "");
    }
    if (url.startsWith("jdbc:postgresql:")) {
      PGSimpleDataSource pg = new PGSimpleDataSource();
      pg.setUrl(url);
      return pg;
    }
    throw new IllegalArgumentException("unsupported JDBC URL scheme");
  }
}
