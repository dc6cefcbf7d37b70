package dev.owly.analytics.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * The first connection at start, with a short wait for databases that refuse connections while
 * another node is starting them: H2 in {@code AUTO_SERVER} mode while the first process opens the
 * file and starts its server ("Lock file recently modified", "Locked by another process"), and
 * PostgreSQL while it starts up or recovers. Nodes started together then all start.
 */
final class Startup {
  /** Longest wait for the database at start. */
  static final long MAX_WAIT_MS = 15_000;

  private Startup() {}

  static void awaitDatabase(DataSource dataSource) {
    long deadline = System.currentTimeMillis() + MAX_WAIT_MS;
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        return;
      } catch (SQLException e) {
        if (!startingUp(e) || System.currentTimeMillis() > deadline) {
          throw Transactions.translate("storage.connect", e);
        }
      }
      try {
        // jittered, so nodes that collided do not collide again
        Thread.sleep(Math.min(1_000, 50L * attempt) + ThreadLocalRandom.current().nextLong(100));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Schema.unavailable("storage.connect.interrupted", e);
      }
    }
  }

  private static boolean startingUp(SQLException e) {
    // A pool reports the database's refusal as a transient "connection not available", with the
    // driver's error as its cause.
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientException) {
        return true;
      }
      if (t instanceof SQLException s) {
        String state = s.getSQLState() == null ? "" : s.getSQLState();
        if (state.equals("08000") // H2: error opening the database (lock file recently modified)
            || state.equals("90020") // H2: database in use (the AUTO_SERVER process is starting)
            || state.equals("57P03") // PostgreSQL: the database system is starting up
            || state.equals("08001") // unable to connect (a server restarting)
            || state.equals("08006")) { // connection failure
          return true;
        }
      }
    }
    return false;
  }
}
