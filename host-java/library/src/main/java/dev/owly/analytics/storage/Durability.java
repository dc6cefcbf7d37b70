package dev.owly.analytics.storage;

import dev.owly.analytics.spi.StorageException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the commits the delivery model relies on durable, whatever data source the plugin hands in:
 * an {@code append} that returned, a {@code seal} and a {@code settle} must survive a killed JVM
 * (and, where the database offers it, a crashed database server). Checked once when storage is
 * built; a setting that can be fixed is fixed, one that cannot is refused with {@code
 * storage.durability} and the fix in the message.
 *
 * <ul>
 *   <li>H2: {@code WRITE_DELAY} (default 500 ms) keeps commits in memory, so a killed JVM loses the
 *       last half second. It is set to 0 ({@code SET WRITE_DELAY 0}, persistent, needs admin
 *       rights); without the right it is refused. An in-memory database is refused. H2 writes each
 *       commit to the file but does not fsync it: a killed JVM loses nothing, a power loss may.
 *   <li>PostgreSQL: {@code fsync=off} is server-wide and refused. {@code synchronous_commit=off}
 *       (from the server, the database, the role or the URL's options) is overridden in every
 *       transaction of ours with {@code SET LOCAL synchronous_commit TO on}, which leaves pooled
 *       sessions as they were.
 *   <li>The MySQL family (a case of {@link Dialect} to come) belongs here too: {@code
 *       innodb_flush_log_at_trx_commit} must be 1 (a session cannot change it: refuse otherwise);
 *       the switch below fails to compile until that case is written.
 * </ul>
 */
public final class Durability {
  private static final Logger LOG = LoggerFactory.getLogger(Durability.class);

  /** The statement to run first in every transaction, or null when none is needed. */
  private final String perTransaction;

  private Durability(String perTransaction) {
    this.perTransaction = perTransaction;
  }

  /** Checks (and where it can, fixes) the database behind {@code dataSource}. */
  public static Durability ensure(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      Dialect dialect = Dialect.of(c);
      return switch (dialect) {
        case H2 -> h2(c);
        case POSTGRESQL -> postgres(c);
      };
    } catch (SQLException e) {
      throw Transactions.translate("storage.durability", e);
    }
  }

  /**
   * Whether a commit is durable only inside a transaction that ran {@link #begin} (PostgreSQL with
   * {@code synchronous_commit=off}); otherwise one autocommit statement is as durable as a
   * transaction.
   */
  boolean needsTransaction() {
    return perTransaction != null;
  }

  /** Runs the per-transaction statement (if any) on {@code c}, first in its transaction. */
  public void begin(Connection c) throws SQLException {
    if (perTransaction != null) {
      try (Statement s = c.createStatement()) {
        s.execute(perTransaction);
      }
    }
  }

  private static Durability h2(Connection c) throws SQLException {
    String path;
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT DATABASE_PATH()")) {
      path = r.next() ? r.getString(1) : null;
    }
    if (path == null) {
      throw refused(
          "H2 in-memory database: nothing survives the JVM; use a file database"
              + " (jdbc:h2:file:…)");
    }
    int delay = h2WriteDelay(c);
    if (delay > 0) {
      setH2WriteDelayZero(c, delay);
      if (h2WriteDelay(c) != 0) {
        throw refused("H2 WRITE_DELAY stays " + delay + " ms; add ;WRITE_DELAY=0 to the URL");
      }
      LOG.info("owly storage.durability H2 WRITE_DELAY {} -> 0", delay);
    }
    return new Durability(null);
  }

  /**
   * H2's error codes for a missing right ({@code ADMIN_RIGHTS_REQUIRED}, {@code
   * NOT_ENOUGH_RIGHTS_FOR_1}).
   */
  private static final int H2_ADMIN_RIGHTS_REQUIRED = 90040;

  private static final int H2_NOT_ENOUGH_RIGHTS = 90096;

  /** How often {@code SET WRITE_DELAY 0} is tried while other nodes start on the same database. */
  private static final int H2_SET_ATTEMPTS = 20;

  /**
   * Runs {@code SET WRITE_DELAY 0}. Nodes starting together on one database contend for H2's
   * exclusive lock on this statement (a lock timeout, or "object in use"), which is not a missing
   * right: try again, and stop as soon as another node's statement made it 0. Only H2's rights
   * errors are refused for good.
   */
  private static void setH2WriteDelayZero(Connection c, int delay) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Statement s = c.createStatement()) {
        s.execute("SET WRITE_DELAY 0");
        return;
      } catch (SQLException e) {
        if (e.getErrorCode() == H2_ADMIN_RIGHTS_REQUIRED
            || e.getErrorCode() == H2_NOT_ENOUGH_RIGHTS) {
          throw refused(
              "H2 WRITE_DELAY="
                  + delay
                  + " ms: a commit is lost when the JVM is killed within that time, and this user"
                  + " may not change it; add ;WRITE_DELAY=0 to the JDBC URL or run SET"
                  + " WRITE_DELAY 0 as an administrator");
        }
        if (h2WriteDelay(c) == 0) {
          return;
        }
        if (attempt >= H2_SET_ATTEMPTS) {
          throw e;
        }
        try {
          Thread.sleep(10L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * The largest {@code WRITE_DELAY} H2 reports. After {@code SET WRITE_DELAY 0} and a reopen, H2
   * lists the setting twice -- the stored 0 and the 500 it opened with, which is the one in force
   * (a killed JVM loses commits then) -- so every row counts.
   */
  private static int h2WriteDelay(Connection c) throws SQLException {
    int max = 0;
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME = 'WRITE_DELAY'")) {
      while (r.next()) {
        max = Math.max(max, Integer.parseInt(r.getString(1).trim()));
      }
    }
    return max;
  }

  private static Durability postgres(Connection c) throws SQLException {
    String fsync;
    String synchronousCommit;
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
      r.next();
      fsync = r.getString(1).toLowerCase(Locale.ROOT);
      synchronousCommit = r.getString(2).toLowerCase(Locale.ROOT);
    }
    if (fsync.equals("off")) {
      throw refused(
          "PostgreSQL fsync=off: a server crash loses committed events; set fsync = on in"
              + " postgresql.conf");
    }
    if (synchronousCommit.equals("off")) {
      LOG.info("owly storage.durability PostgreSQL synchronous_commit=off: on in our transactions");
      return new Durability("SET LOCAL synchronous_commit TO on");
    }
    return new Durability(null);
  }

  private static StorageException refused(String why) {
    return new StorageException(StorageException.Kind.OTHER, "storage.durability: " + why);
  }
}
