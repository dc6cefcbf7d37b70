package dev.owly.analytics.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** Small JDBC helpers shared by the storage classes. */
final class Sql {
  private Sql() {}

  /**
   * Ids written into the SQL as numeric literals rather than bound parameters: they are longs from
   * our own tables (nothing to inject), and H2 evaluates a parameter IN-list linearly per row (500
   * x 500 comparisons per statement, a quarter of a 10k-row flush) but a literal list through a
   * hash set.
   */
  static String idList(List<Long> ids) {
    return idList(ids.stream().mapToLong(Long::longValue).toArray());
  }

  static String idList(long[] ids) {
    StringBuilder out = new StringBuilder(ids.length * 8);
    for (long id : ids) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(id);
    }
    return out.toString();
  }

  static void setNullableLong(PreparedStatement p, int index, Long value) throws SQLException {
    if (value == null) {
      p.setNull(index, Types.BIGINT);
    } else {
      p.setLong(index, value);
    }
  }

  static Long nullableLong(ResultSet r, int index) throws SQLException {
    long v = r.getLong(index);
    return r.wasNull() ? null : v;
  }
}
