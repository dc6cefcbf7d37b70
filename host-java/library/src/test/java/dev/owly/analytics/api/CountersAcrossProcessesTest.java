package dev.owly.analytics.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.storage.Schema;
import dev.owly.analytics.storage.TestDatabases;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The persisted counters with real processes on one PostgreSQL database: three nodes at once add up
 * exactly; a node killed with {@code kill -9} loses at most its unwritten deltas (never rows); a
 * node started afterwards adds to what is stored. Requires {@code OWLY_PG_URL}; fails without it.
 */
class CountersAcrossProcessesTest {
  static String pgUrl() {
    String url = System.getenv("OWLY_PG_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("OWLY_PG_URL is not set: run scripts/pg-start.sh");
    }
    return url;
  }

  static Process node(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CounterNode.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** Reads the node's output until {@code line}; fails if it exits first. */
  static void await(Process p, BufferedReader out, String line) throws IOException {
    StringBuilder seen = new StringBuilder();
    for (String l; (l = out.readLine()) != null; ) {
      if (l.equals(line)) {
        return;
      }
      seen.append(l).append('\n');
    }
    throw new AssertionError("node exited before '" + line + "':\n" + seen);
  }

  static long count(DataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  static long counter(DataSource ds, String kind) throws Exception {
    return count(
        ds,
        "SELECT COALESCE(SUM(\"AMOUNT\"), 0) FROM \""
            + Schema.COUNTER_TABLE
            + "\" WHERE \"KIND\" = '"
            + kind
            + "'");
  }

  static long rows(DataSource ds) throws Exception {
    return count(ds, "SELECT COUNT(*) FROM \"" + Schema.EVENT_TABLE + "\"");
  }

  @Test
  void shouldAddUpAcrossNodesSurviveKillNineAndRestart() throws Exception {
    DataSource ds = TestDatabases.postgres(pgUrl());
    TestDatabases.dropOwlyTables(ds);
    Schema.migrate(ds);

    List<Process> cluster = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      cluster.add(node("node-" + n, "40", "10", "close"));
    }
    for (Process p : cluster) {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), output);
    }
    assertEquals(120, rows(ds));
    assertEquals(120, counter(ds, "accepted"), "three nodes, one table, exact");
    assertEquals(30, counter(ds, "rejected"));

    Process killed = node("node-4", "50", "0", "burst", "20");
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(killed.getInputStream(), StandardCharsets.UTF_8))) {
      await(killed, out, "written");
      await(killed, out, "burst");
      killed.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no last write
      assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(190, rows(ds), "every accepted row is stored");
    long afterKill = counter(ds, "accepted");
    assertTrue(afterKill >= 170, "everything written before the burst survives: " + afterKill);
    assertTrue(afterKill <= 190, "never more than was stored: " + afterKill);

    Process restarted = node("node-4", "5", "2", "close");
    String output = new String(restarted.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(restarted.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, restarted.exitValue(), output);
    assertEquals(afterKill + 5, counter(ds, "accepted"));
    assertEquals(32, counter(ds, "rejected"));
  }
}
