package dev.owly.analytics.storage;

import dev.owly.analytics.OwlyException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The SQL differences between the supported databases, kept to column types. */
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
