package dev.owly.analytics.standalone;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import dev.owly.analytics.storage.Pools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * Data sources for the standalone host, the CLI and tests; a DC plugin passes its own. Every one
 * returned here is pooled ({@link Pools}), and its H2 commits are durable ({@code WRITE_DELAY=0}).
 */
public final class DataSources {
  private DataSources() {}

  /**
   * An embedded H2 database in {@code dir} (file {@code owly.mv.db}), pooled by H2's own pool. It
   * holds the instance secret, so the folder is 0700 and the file 0600 before H2 opens it (H2 takes
   * an empty file as a new database and keeps its mode); H2's trace file, which may show
   * statements, is off.
   */
  public static JdbcConnectionPool h2File(Path dir) {
    requireNonNull(dir, "dir");
    try {
      PrivateFiles.directory(dir);
      PrivateFiles.file(dir.resolve("owly.mv.db"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String url =
        "jdbc:h2:file:"
            + dir.toAbsolutePath().resolve("owly")
            + ";LOCK_TIMEOUT=10000;WRITE_DELAY=0;TRACE_LEVEL_FILE=0";
    return JdbcConnectionPool.create(url, "sa", "");
  }

  /**
   * A pooled data source (HikariCP) for a JDBC URL: {@code jdbc:h2:…} or {@code jdbc:postgresql:…}.
   * Close it ({@link HikariDataSource#close()}) when done.
   */
  public static HikariDataSource forUrl(String url) {
    requireNonNull(url, "url");
    if (url.startsWith("jdbc:h2:")) {
      return Pools.forUrl(url, "sa", "");
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return Pools.forUrl(url, null, null);
    }
    throw new IllegalArgumentException("unsupported JDBC URL scheme");
  }
}
