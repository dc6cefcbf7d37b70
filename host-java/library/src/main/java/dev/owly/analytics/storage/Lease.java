package dev.owly.analytics.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Select-then-lease, the one way a node takes rows that several nodes compete for: pending events
 * ({@code claim}) and due batches ({@code due}). Candidates are locked with {@code SELECT … FOR
 * UPDATE SKIP LOCKED} (PostgreSQL and H2 2.3), leased by one set-based UPDATE that repeats the
 * eligibility and lease predicates, and read back only where they carry this node's new lease: a
 * row another node took in between (possible where SKIP LOCKED is weaker) is simply not returned.
 */
final class Lease {
  private final String table;
  private final String holderColumn;
  private final String untilColumn;
  private final String eligible;
  private final Object[] args;

  /**
   * @param table the quoted table name
   * @param holderColumn the column naming the node holding the lease
   * @param untilColumn the column holding the lease's end (Unix ms)
   * @param eligible a SQL condition a row must meet to be taken, with {@code ?} for {@code args}
   * @param args the values of {@code eligible}'s parameters ({@link String} or {@link Long})
   */
  Lease(String table, String holderColumn, String untilColumn, String eligible, Object... args) {
    this.table = table;
    this.holderColumn = holderColumn;
    this.untilColumn = untilColumn;
    this.eligible = eligible;
    this.args = args.clone();
  }

  @FunctionalInterface
  interface RowReader<T> {
    T read(ResultSet r) throws SQLException;
  }

  /**
   * Leases up to {@code limit} eligible rows, in id order, that nobody holds, whose lease ended
   * before {@code nowMs} or that {@code nodeId} holds itself, to {@code nodeId} until {@code
   * leaseUntilMs}, and reads {@code columns} of the rows it got.
   */
  <T> List<T> take(
      Connection c,
      String nodeId,
      int limit,
      long nowMs,
      long leaseUntilMs,
      String columns,
      RowReader<T> reader)
      throws SQLException {
    // Free: nobody holds it, its lease ended, or this node holds it (a node id is the same after
    // a restart, so its own leases from before a crash are its own; see JdbcStorage).
    String free =
        " AND (\""
            + holderColumn
            + "\" IS NULL OR \""
            + untilColumn
            + "\" < ? OR \""
            + holderColumn
            + "\" = ?)";
    List<Long> candidates = new ArrayList<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT \"ID\" FROM "
                + table
                + " WHERE "
                + eligible
                + free
                + " ORDER BY \"ID\" LIMIT ? FOR UPDATE SKIP LOCKED")) {
      int i = bindEligible(p, 1);
      p.setLong(i++, nowMs);
      p.setString(i++, nodeId);
      p.setInt(i, limit);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          candidates.add(r.getLong(1));
        }
      }
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    String ids = Sql.idList(candidates);
    try (PreparedStatement u =
        c.prepareStatement(
            "UPDATE "
                + table
                + " SET \""
                + holderColumn
                + "\" = ?, \""
                + untilColumn
                + "\" = ? WHERE \"ID\" IN ("
                + ids
                + ") AND "
                + eligible
                + free)) {
      u.setString(1, nodeId);
      u.setLong(2, leaseUntilMs);
      int i = bindEligible(u, 3);
      u.setLong(i++, nowMs);
      u.setString(i, nodeId);
      u.executeUpdate();
    }
    List<T> taken = new ArrayList<>(candidates.size());
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT "
                + columns
                + " FROM "
                + table
                + " WHERE \"ID\" IN ("
                + ids
                + ") AND "
                + eligible
                + " AND \""
                + holderColumn
                + "\" = ? AND \""
                + untilColumn
                + "\" = ? ORDER BY \"ID\"")) {
      int i = bindEligible(p, 1);
      p.setString(i++, nodeId);
      p.setLong(i, leaseUntilMs);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          taken.add(reader.read(r));
        }
      }
    }
    return taken;
  }

  /** Binds {@code args} from {@code index} on; returns the next free index. */
  private int bindEligible(PreparedStatement p, int index) throws SQLException {
    for (Object arg : args) {
      if (arg instanceof String s) {
        p.setString(index++, s);
      } else {
        p.setLong(index++, (Long) arg);
      }
    }
    return index;
  }
}
