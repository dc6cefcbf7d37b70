package dev.owly.analytics.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.owly.analytics.core.FlushReport;
import dev.owly.analytics.core.Verdict;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Transport;
import dev.owly.analytics.storage.JdbcStorage;
import dev.owly.analytics.storage.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery as the plugin sees it when things go wrong: a flush keeps to its budget and never
 * throws, an edited row does not hold back the clean ones, an unpooled data source is pooled, and
 * the node id is stable. The same faults across processes: tests/faults.
 */
class OwlyDeliveryTest {
  private static final Pattern NONCE = Pattern.compile("\"nonce\":\"(\\d+)\"");
  private static final Pattern ROW_ID = Pattern.compile("\"ID\":\"(\\d+)\"");

  @TempDir Path dir;
  JdbcConnectionPool db;
  final List<String> sent = Collections.synchronizedList(new ArrayList<>());

  Owly.Builder builder(DataSource ds, Transport transport) {
    return Owly.builder(ds)
        .withServerId("TEST-0000-0000-0001")
        .withProductVersion("9.12.15")
        .withAppVersion("0.1.0-test")
        .withCollectorUrl("https://collector.invalid/collect")
        .withSecret(new byte[32])
        .withMode(Mode.REMOTE)
        .withTransport(transport)
        .withPoolSize(1)
        .withFlushInterval(Duration.ZERO)
        .withDrainTimeout(Duration.ZERO);
  }

  Owly.Builder builder(Transport transport) {
    db = TestDatabases.h2File(dir.resolve("db"));
    return builder(db, transport);
  }

  @AfterEach
  void closeDb() {
    if (db != null) {
      db.dispose();
    }
  }

  static Limits rowsPerBatch(int n) {
    return new Limits(n, 0, 0, 0, 0, 0, 0);
  }

  /** Row ids of every body sent, each body counted once per nonce. */
  List<Long> deliveredRowIds() {
    List<Long> ids = new ArrayList<>();
    Set<String> nonces = new HashSet<>();
    for (String body : sent) {
      Matcher n = NONCE.matcher(body);
      assertTrue(n.find());
      if (!nonces.add(n.group(1))) {
        continue; // a resend of the same batch: the collector de-duplicates it
      }
      Matcher enc = Pattern.compile("\"dataEncoded\":\"([^\"]+)\"").matcher(body);
      assertTrue(enc.find());
      Matcher id =
          ROW_ID.matcher(
              new String(Base64.getDecoder().decode(enc.group(1)), StandardCharsets.UTF_8));
      while (id.find()) {
        ids.add(Long.parseLong(id.group(1)));
      }
    }
    return ids;
  }

  @Test
  void aHungCollectorNeverKeepsFlushBeyondItsBudgetAndNothingIsLost() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    Transport hung =
        request -> {
          sent.add(request.body());
          try {
            answer.await(60, TimeUnit.SECONDS); // accepted the connection, never answers
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new Response(200, null);
        };
    // Two instances: the hung send holds one (a guest call waits for its import), record the other.
    try (Owly owly = builder(hung).withPoolSize(2).withFlushBudget(Duration.ofSeconds(1)).build()) {
      for (int i = 0; i < 5; i++) {
        assertTrue(owly.record("owly.view.history", Map.of()).accepted());
      }
      long t = System.nanoTime();
      FlushReport r = owly.flush();
      long ms = (System.nanoTime() - t) / 1_000_000;
      assertEquals("flush.budget", r.stopped());
      assertTrue(ms < 1_500, "flush() kept its caller " + ms + " ms");
      long r0 = System.nanoTime();
      assertTrue(owly.record("owly.view.history", Map.of()).accepted(), "recording goes on");
      assertTrue(System.nanoTime() - r0 < 2_000_000_000L, "and is not held up by the hung send");
      answer.countDown(); // the collector answers again
      long deadline = System.currentTimeMillis() + 10_000;
      while (deadline > System.currentTimeMillis() && deliveredRowIds().size() < 6) {
        owly.flush();
      }
      assertEquals(6, deliveredRowIds().size());
      assertEquals(6, new HashSet<>(deliveredRowIds()).size(), "each row in one batch");
    }
  }

  @Test
  void theBudgetStopsSendingWithoutSettlingAndTheNextFlushSendsTheRestOnce() throws Exception {
    Transport slow =
        request -> {
          sent.add(request.body());
          try {
            Thread.sleep(300);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new Response(200, null);
        };
    try (Owly owly =
        builder(slow).withLimits(rowsPerBatch(1)).withFlushBudget(Duration.ofSeconds(1)).build()) {
      for (int i = 0; i < 8; i++) {
        owly.record("owly.view.export", Map.of());
      }
      FlushReport first = owly.flush();
      assertEquals("flush.budget", first.stopped());
      assertTrue(first.delivered() >= 1 && first.delivered() < 8, first.toString());
      int flushes = 1;
      while (deliveredRowIds().size() < 8 && flushes++ < 20) {
        owly.flush();
      }
      assertEquals(8, deliveredRowIds().size());
      assertEquals(8, new HashSet<>(deliveredRowIds()).size());
      assertEquals(8, sent.size(), "a batch stopped by the budget was never sent, so no resend");
      assertEquals(0, attempts(owly, "\"ATTEMPTS\" <> 1"), "one counted attempt per batch");
    }
  }

  long attempts(Owly owly, String where) throws Exception {
    try (Connection c = owly.storage().dataSource().getConnection();
        PreparedStatement p =
            c.prepareStatement("SELECT COUNT(*) FROM \"AO_OWLY_LEDGER_AO\" WHERE " + where);
        ResultSet r = p.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void flushNeverThrowsWhenTheDatabaseIsGone() {
    Owly owly = builder(request -> new Response(200, null)).build();
    owly.record("owly.view.dashboard", Map.of());
    db.dispose();
    FlushReport r = owly.flush();
    assertNotNull(r.stopped());
    Verdict v = owly.record("owly.view.dashboard", Map.of());
    assertNotNull(v.rule());
    owly.close();
  }

  @Test
  void anEditedRowThatCannotBeEncodedIsQuarantinedAndTheCleanOnesAreDelivered() throws Exception {
    try (Owly owly =
        builder(
                request -> {
                  sent.add(request.body());
                  return new Response(200, null);
                })
            .withMode(Mode.LOCAL)
            .build()) {
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ids.add(owly.record("owly.view.settings", Map.of()).rowId());
      }
      long edited = ids.get(4);
      try (Connection c = db.getConnection();
          PreparedStatement p =
              c.prepareStatement("UPDATE \"AO_OWLY_EVENT_AO\" SET \"NAME\" = ? WHERE \"ID\" = ?")) {
        p.setString(1, "owly.view.\uD800");
        p.setLong(2, edited);
        assertEquals(1, p.executeUpdate());
      }
      owly.settings().setMode(Mode.REMOTE);
      FlushReport r = owly.flush();
      assertEquals(null, r.stopped(), r.toString());
      List<Long> clean = new ArrayList<>(ids);
      clean.remove(edited);
      assertEquals(clean, deliveredRowIds());
      try (Connection c = db.getConnection();
          PreparedStatement p =
              c.prepareStatement(
                  "SELECT \"STATE\", \"REJECT_RULE\" FROM \"AO_OWLY_EVENT_AO\" WHERE \"ID\" = ?")) {
        p.setLong(1, edited);
        try (ResultSet rs = p.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("rejected", rs.getString(1));
          assertEquals(JdbcStorage.ENCODING_RULE, rs.getString(2));
        }
      }
      assertTrue(owly.record("owly.view.settings", Map.of()).accepted(), "recording unaffected");
      assertEquals(1, owly.flush().rowsDelivered());
    }
  }

  @Test
  void anUnpooledDataSourceIsWrappedInAPool() throws Exception {
    JdbcDataSource plain = new JdbcDataSource();
    plain.setURL("jdbc:h2:file:" + dir.resolve("plain").resolve("owly"));
    plain.setUser("sa");
    Owly owly = builder(plain, request -> new Response(200, null)).build();
    HikariDataSource pool = assertInstanceOf(HikariDataSource.class, owly.storage().dataSource());
    assertTrue(owly.record("owly.view.history", Map.of()).accepted());
    assertEquals(1, owly.flush().rowsDelivered());
    owly.close();
    assertTrue(pool.isClosed(), "the pool Owly made is Owly's to close");
  }

  @Test
  void theDefaultNodeIdIsStableAcrossRestarts() {
    String first;
    try (Owly owly = builder(request -> new Response(200, null)).build()) {
      first = owly.nodeId();
    }
    db.dispose();
    try (Owly owly = builder(request -> new Response(200, null)).build()) {
      assertEquals(first, owly.nodeId());
    }
    assertEquals(JdbcStorage.defaultNodeId(), first);
    assertTrue(first.matches("[A-Za-z0-9._-]+-[0-9a-f]{8}"), first);
  }
}
