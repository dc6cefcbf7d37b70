package dev.owly.analytics.storage;

import dev.owly.analytics.spi.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import javax.sql.DataSource;

/**
 * One JDBC transaction per storage call, and the one mapping of driver errors onto storage errors.
 */
final class Transactions {
  private Transactions() {}

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} as one transaction; rolls back on any failure. */
  static <T> T run(DataSource dataSource, String op, Work<T> work) {
    return run(dataSource, null, op, work);
  }

  /** The same, made durable first ({@link Durability#begin}) when {@code durability} is given. */
  static <T> T run(DataSource dataSource, Durability durability, String op, Work<T> work) {
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw Schema.unavailable("storage.connect", e);
    }
    try (c) {
      c.setAutoCommit(false);
      try {
        if (durability != null) {
          durability.begin(c);
        }
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw translate("storage." + op, e);
    }
  }

  /**
   * One statement on its own (autocommit): atomic by itself, and one round trip instead of three
   * (statement, commit, reset) on a networked database. For writes that are a single statement; as
   * {@link #run} when {@code durability} needs its per-transaction statement.
   */
  static <T> T single(DataSource dataSource, Durability durability, String op, Work<T> work) {
    if (durability != null && durability.needsTransaction()) {
      return run(dataSource, durability, op, work);
    }
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw Schema.unavailable("storage.connect", e);
    }
    try (c) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      return work.run(c);
    } catch (SQLException e) {
      throw translate("storage." + op, e);
    }
  }

  /** Maps a driver exception onto the WIT storage-error cases by SQLSTATE, never by message. */
  static StorageException translate(String code, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    boolean transientFailure =
        e instanceof SQLTransientException
            || state.startsWith("08") // connection exception
            || state.startsWith("57") // operator intervention (PostgreSQL shutdown)
            || state.equals("40001") // serialization failure
            || state.equals("40P01") // deadlock (PostgreSQL)
            || state.equals("55P03") // lock not available (PostgreSQL)
            || state.equals("HYT00") // lock timeout (H2)
            || state.equals("90098"); // database closed (H2)
    return new StorageException(
        transientFailure ? StorageException.Kind.UNAVAILABLE : StorageException.Kind.OTHER,
        code + " (sqlstate " + state + ")",
        e);
  }
}
