package dev.owly.analytics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.spi.Config;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Settlement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The delivery model of the real core on the JVM host, with in-memory storage. */
@Tag("core")
class DeliveryScenariosTest {
  private static final String EVENT = "{\"name\":\"owly.export.tables.propertyentry\"}";
  private static final Pattern BODY =
      Pattern.compile(
          "\\{\"dataEncoded\":\"([A-Za-z0-9+/=]+)\",\"nonce\":\"([0-9]+)\","
              + "\"contentHash\":\"([0-9A-F]{40})\",\"otp\":\"([0-9]{6})\"\\}");

  private final TestCaps caps = new TestCaps();

  private Core core() {
    return Core.builder(caps.capabilities()).withEngine(TestCaps.engine()).withPoolSize(1).build();
  }

  private static Matcher body(String b) {
    Matcher m = BODY.matcher(b);
    assertTrue(m.matches(), "not wire format v1");
    return m;
  }

  private static void assertSameBatch(String first, String second) {
    Matcher a = body(first);
    Matcher b = body(second);
    assertEquals(a.group(1), b.group(1), "dataEncoded");
    assertEquals(a.group(2), b.group(2), "nonce");
    assertEquals(a.group(3), b.group(3), "contentHash");
  }

  @Test
  void aBatchAnswered503IsRetriedLaterWithTheSameNonceAndContent() {
    AtomicInteger sends = new AtomicInteger();
    caps.answer =
        b -> sends.getAndIncrement() == 0 ? new Response(503, null) : new Response(200, null);
    try (Core core = core()) {
      assertTrue(core.record(EVENT).accepted());
      FlushReport first = core.flush();
      assertEquals(1, first.retrying());
      assertEquals(0, first.delivered());
      caps.clockMs.addAndGet(3_600_000);
      FlushReport second = core.flush();
      assertEquals(1, second.delivered(), second.toString());
      assertEquals(2, caps.bodies.size());
      assertSameBatch(caps.bodies.get(0), caps.bodies.get(1));
    }
  }

  @Test
  void retryAfterIsHonoured() {
    AtomicInteger sends = new AtomicInteger();
    caps.answer =
        b -> sends.getAndIncrement() == 0 ? new Response(429, "120") : new Response(200, null);
    try (Core core = core()) {
      core.record(EVENT);
      long t0 = caps.clockMs.get();
      assertEquals(1, core.flush().retrying());
      Settlement.Retry retry = (Settlement.Retry) caps.storage.batches.get(1L).last;
      assertEquals(429, retry.status());
      assertTrue(retry.atMs() >= t0 + 120_000, "Retry-After ignored");
      caps.clockMs.set(t0 + 60_000);
      core.flush();
      assertEquals(1, caps.bodies.size(), "resent before Retry-After");
      caps.clockMs.set(retry.atMs() + 1);
      assertEquals(1, core.flush().delivered());
      assertEquals(2, caps.bodies.size());
    }
  }

  @Test
  void aClientErrorFailsTheBatchForGood() {
    caps.answer = b -> new Response(400, null);
    try (Core core = core()) {
      core.record(EVENT);
      assertEquals(1, core.flush().failed());
      Settlement.Failed failed = (Settlement.Failed) caps.storage.batches.get(1L).last;
      assertEquals(400, failed.status());
      assertNotNull(failed.reason());
      caps.clockMs.addAndGet(86_400_000);
      core.flush();
      assertEquals(1, caps.bodies.size());
    }
  }

  @Test
  void switchingToLocalDuringAFlushStopsFurtherSends() {
    caps.config =
        new Config(
            Mode.REMOTE,
            "BWSN-B5B6-32P4-DDL7",
            "9.12.15",
            "0.9.9-b301041",
            true,
            0,
            new Limits(1, 0, 0, 0, 0, 0, 0));
    caps.answer =
        b -> {
          caps.mode(Mode.LOCAL);
          return new Response(200, null);
        };
    try (Core core = core()) {
      for (int i = 0; i < 3; i++) {
        core.record(EVENT);
      }
      FlushReport report = core.flush();
      assertEquals(1, caps.bodies.size());
      assertEquals("mode.changed", report.stopped());
    }
  }

  /** The host "dies" inside send: an Error unwinds through the guest. */
  static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void aCrashBetweenSealAndSettleResendsTheSameBatchButForTheOtp() {
    AtomicInteger sends = new AtomicInteger();
    caps.answer =
        b -> {
          if (sends.getAndIncrement() == 0) {
            throw new SimulatedCrash();
          }
          return new Response(200, null);
        };
    try (Core core = core()) {
      core.record(EVENT);
      core.record(EVENT);
      assertThrows(SimulatedCrash.class, core::flush);
      assertEquals(1, caps.storage.batches.size(), "sealed before the send");
      caps.clockMs.addAndGet(3_600_000);
      FlushReport report = core.flush();
      assertEquals(1, report.delivered(), report.toString());
      assertEquals(0, report.sealed(), "must resend, not re-seal");
      assertEquals(2, caps.bodies.size());
      assertSameBatch(caps.bodies.get(0), caps.bodies.get(1));
    }
  }

  @Test
  void inLocalModeTheTransportIsNeverCalled() {
    caps.mode(Mode.LOCAL);
    try (Core core = core()) {
      assertTrue(core.record(EVENT).accepted());
      assertEquals("mode.local", core.flush().stopped());
      assertTrue(caps.bodies.isEmpty());
      assertTrue(core.preview().isPresent());
    }
  }

  @Test
  void theBodyDecodesAndVerifiesThroughTheSameCore() {
    try (Core core = core()) {
      core.record(EVENT);
      core.flush();
      String sent = caps.bodies.get(0);
      Decoded d = core.decode(sent);
      assertTrue(d.hashOk());
      assertEquals(1, d.rowCount());
      Verified v = core.verify(sent, caps.secret, caps.clockMs.get() / 1000, 1);
      assertEquals("BWSN-B5B6-32P4-DDL7", v.tenant());
      assertEquals(0, v.stepOffset());
      assertFalse(core.catalog().isEmpty());
      assertTrue(
          core.stats().stream().anyMatch(c -> c.value() > 0), "some counter counts the accept");
      assertEquals(List.of(), List.of());
    }
  }
}
