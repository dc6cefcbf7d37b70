package dev.owly.analytics.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.core.FlushReport;
import dev.owly.analytics.core.Verdict;
import dev.owly.analytics.settings.JdbcSettings;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Transport;
import dev.owly.analytics.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin author's API on the real core and an H2 file database. */
class OwlyTest {
  @TempDir Path dir;
  JdbcConnectionPool db;
  final List<String> sent = Collections.synchronizedList(new ArrayList<>());
  final Transport capture =
      request -> {
        sent.add(request.body());
        return new Response(200, null);
      };

  Owly.Builder builder() {
    db = TestDatabases.h2File(dir.resolve("db"));
    return Owly.builder(db)
        .withServerId("TEST-0000-0000-0001")
        .withProductVersion("9.12.15")
        .withAppVersion("0.1.0-test")
        .withCollectorUrl("https://collector.invalid/collect")
        .withSecret(new byte[32])
        .withTransport(capture)
        .withPoolSize(1)
        .withFlushInterval(Duration.ZERO);
  }

  @AfterEach
  void closeDb() {
    if (db != null) {
      db.dispose();
    }
  }

  @Test
  void shouldRecordAFeatureEventInThreeLines() {
    try (Owly owly = builder().build()) {
      Verdict v = owly.record("owly.export.finished", Map.of("format", "csv", "rows", 120345));
      assertTrue(v.accepted(), v.rule());
      assertTrue(v.rowId() > 0);
    }
  }

  @Test
  void shouldRejectEmailInAttributeWithoutThrowing() {
    try (Owly owly = builder().build()) {
      Verdict v = owly.record("owly.export.failed", Map.of("reason", "jane.doe@example.com"));
      assertFalse(v.accepted());
      assertEquals("@email", v.rule());
    }
  }

  @Test
  void shouldNeverThrowForHostileValues() {
    Map<String, Object> weird = new HashMap<>();
    weird.put("rows", 1.5);
    weird.put("format", null);
    weird.put("tables", List.of(1, 2));
    weird.put("duration_ms", new Object());
    try (Owly owly = builder().build()) {
      for (Verdict v :
          List.of(
              owly.record(null, null),
              owly.record("owly.export.finished", weird),
              owly.record("owly.export.failed", Map.of("reason", "\uD800")),
              owly.record("x".repeat(5_000_000), Map.of()),
              owly.recordJson(null),
              owly.recordJson("{"))) {
        assertFalse(v.accepted());
        assertNotNull(v.rule());
      }
    }
  }

  @Test
  void shouldSendOnlyInRemoteMode() {
    try (Owly owly = builder().build()) {
      owly.record("owly.view.dashboard", Map.of());
      FlushReport local = owly.flush();
      assertEquals("mode.local", local.stopped());
      assertTrue(sent.isEmpty(), "local is the default and never sends");
      owly.settings().setMode(Mode.REMOTE);
      FlushReport remote = owly.flush();
      assertEquals(1, remote.delivered());
      assertEquals(1, sent.size());
    }
  }

  @Test
  void aSwitchOnAnotherNodeMidFlushStopsTheVeryNextSend() {
    List<String> bodies = new ArrayList<>();
    JdbcSettings[] otherNode = new JdbcSettings[1];
    Transport switchAfterFirst =
        request -> {
          bodies.add(request.body());
          // The admin switches analytics off on another node while this flush is under way.
          otherNode[0].setMode(Mode.OFF);
          return new Response(200, null);
        };
    try (Owly owly =
        builder()
            .withMode(Mode.REMOTE)
            .withTransport(switchAfterFirst)
            .withLimits(new Limits(1, 0, 0, 0, 0, 0, 0))
            .build()) {
      otherNode[0] = JdbcSettings.builder(db).build();
      for (int i = 0; i < 3; i++) {
        assertTrue(owly.record("owly.view.dashboard", Map.of()).accepted());
      }
      // This node's mode() may still answer remote from its last read, but every send is checked
      // against the stored mode: only the batch before the switch left.
      FlushReport report = owly.flush();
      assertEquals(1, bodies.size(), report.toString());
      assertEquals(1, report.delivered(), report.toString());
    }
  }

  @Test
  void aSwitchOnAnotherNodeReachesTheRecordPathWithinASecond() throws Exception {
    try (Owly owly = builder().withMode(Mode.REMOTE).build()) {
      assertTrue(owly.record("owly.view.dashboard", Map.of()).accepted());
      JdbcSettings.builder(db).build().setMode(Mode.OFF);
      long t0 = System.nanoTime();
      while (owly.record("owly.view.dashboard", Map.of()).accepted()) {
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "mode off not seen within 1 s");
        Thread.sleep(20);
      }
      assertEquals("mode.off", owly.record("owly.view.dashboard", Map.of()).rule());
    }
  }

  @Test
  void aSwitchOnThisNodeTakesEffectAtOnce() {
    try (Owly owly = builder().withMode(Mode.REMOTE).build()) {
      assertTrue(owly.record("owly.view.dashboard", Map.of()).accepted());
      owly.settings().setMode(Mode.OFF);
      assertEquals("mode.off", owly.record("owly.view.dashboard", Map.of()).rule());
      owly.settings().setMode(Mode.LOCAL);
      assertTrue(owly.record("owly.view.dashboard", Map.of()).accepted());
      assertEquals("mode.local", owly.flush().stopped());
      assertTrue(sent.isEmpty());
    }
  }

  @Test
  void shouldKeepTheAdministratorsModeAcrossRestarts() {
    try (Owly owly = builder().withMode(Mode.REMOTE).build()) {
      assertEquals(Mode.REMOTE, owly.settings().mode());
      owly.settings().setMode(Mode.OFF);
    }
    db.dispose();
    try (Owly owly = builder().withMode(Mode.REMOTE).build()) {
      assertEquals(Mode.OFF, owly.settings().mode(), "a restart must not switch analytics back on");
      assertFalse(owly.record("owly.view.dashboard", Map.of()).accepted());
    }
  }

  @Test
  void shouldDrainPendingRowsOnCloseInRemoteMode() {
    try (Owly owly =
        builder().withMode(Mode.REMOTE).withDrainTimeout(Duration.ofSeconds(30)).build()) {
      owly.record("owly.view.history", Map.of());
    }
    assertEquals(1, sent.size());
  }

  @Test
  void shouldFlushOnItsSchedule() throws Exception {
    try (Owly owly =
        builder().withMode(Mode.REMOTE).withFlushInterval(Duration.ofMillis(100)).build()) {
      owly.record("owly.view.settings", Map.of());
      long deadline = System.currentTimeMillis() + 10_000;
      while (sent.isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(1, sent.size());
    }
  }
}
