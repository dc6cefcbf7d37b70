package dev.owly.analytics.storage;

import dev.owly.analytics.OwlyException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The SQL differences between the supported databases: column types, upserts and the lock that
 * serializes schema migrations. A MySQL-family case adds {@code INSERT … ON DUPLICATE KEY UPDATE}
 * here and {@code GET_LOCK} for migrations; the exhaustive switches make the compiler ask for it.
 */
public enum Dialect {
  H2("CHARACTER VARYING(1048576)"),
  POSTGRESQL("TEXT");

  /** A column type for long text (attributes JSON, the exact {@code dataEncoded}). */
  final String textType;

  Dialect(String textType) {
    this.textType = textType;
  }

  /** A column type for long text on this database. */
  public String textType() {
    return textType;
  }

  /**
   * Inserts or replaces {@code (key, value)} in a table keyed by {@code keyColumn}, race-free
   * between nodes: two nodes writing the same new key never fail with a duplicate key (H2's {@code
   * MERGE} may still, under a race, which callers retry once). Parameters: key, value.
   */
  public String upsert(String table, String keyColumn, String valueColumn) {
    return switch (this) {
      case H2 ->
          "MERGE INTO "
              + table
              + " ("
              + keyColumn
              + ", "
              + valueColumn
              + ") KEY ("
              + keyColumn
              + ") VALUES (?, ?)";
      case POSTGRESQL ->
          "INSERT INTO "
              + table
              + " ("
              + keyColumn
              + ", "
              + valueColumn
              + ") VALUES (?, ?) ON CONFLICT ("
              + keyColumn
              + ") DO UPDATE SET "
              + valueColumn
              + " = EXCLUDED."
              + valueColumn;
    };
  }

  /**
   * A statement run first in the transaction that migrates the schema, so that nodes starting
   * together migrate one after the other; null where DDL is not transactional (H2 commits DDL at
   * once and serializes it itself; migrations there tolerate a concurrent node's objects).
   */
  String migrationLock() {
    return switch (this) {
      case H2 -> null;
        // A transaction-level advisory lock: released by commit or rollback, never left behind.
      case POSTGRESQL -> "SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK_KEY + ")";
    };
  }

  /** An arbitrary constant key for the migration lock: "OWLY" in ASCII. */
  private static final long MIGRATION_LOCK_KEY = 0x4F574C59L;

  public static Dialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("h2")) {
      return H2;
    }
    if (product.contains("postgres")) {
      return POSTGRESQL;
    }
    throw new OwlyException("storage.unsupported-database: " + product);
  }
}
