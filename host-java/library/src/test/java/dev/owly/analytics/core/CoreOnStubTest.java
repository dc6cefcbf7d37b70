package dev.owly.analytics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.runtime.GuestCallException;
import dev.owly.analytics.runtime.ModuleSource;
import dev.owly.analytics.spi.Counter;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Settlement;
import dev.owly.analytics.spi.StorageException;
import dev.owly.analytics.spi.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every export and import of the world, through the facade, against the stand-in core built with
 * wit-bindgen 0.63 (so the ABI is checked against wit-bindgen's own glue), on both engines.
 */
class CoreOnStubTest {

  static Stream<ModuleSource> engines() {
    return StubModule.sources();
  }

  private static Core core(TestCaps caps, ModuleSource source) {
    return Core.builder(caps.capabilities())
        .withModule(source)
        .withPoolSize(2)
        .withCallTimeout(Duration.ofSeconds(2))
        .withMaxMemoryPages(64)
        .build();
  }

  @ParameterizedTest
  @MethodSource("engines")
  void recordStoresTheRowThroughStorageAppendAndReturnsItsId(ModuleSource source) {
    TestCaps caps = new TestCaps();
    try (Core core = core(caps, source)) {
      Verdict v = core.record("{\"name\":\"é\"}");
      assertEquals(new Verdict(true, 1, null, null), v);
      var row = caps.storage.rows.get(1L).data;
      assertEquals("{\"name\":\"é\"}", row.name());
      assertEquals("BWSN-B5B6-32P4-DDL7", row.tenant());
      assertEquals("9.12.15", row.productVersion());
      assertEquals(1_739_433_204L, row.recordedAt());
      assertEquals("{\"limits\":0}", row.attributes());
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void rejectionIsDataNotAnException(ModuleSource source) {
    TestCaps caps = new TestCaps();
    try (Core core = core(caps, source)) {
      assertEquals(new Verdict(false, 0, "json.malformed", "event"), core.record("nope"));
      assertEquals(new CheckResult(false, null, "json.malformed", "event"), core.check("x"));
      assertEquals(
          new CheckResult(true, "{\"ID\":\"0\",\"echo\":{}}", null, null), core.check("{}"));
    }
  }

  @Test
  void storageExceptionBecomesTheWitErrorCaseAndNeverUnwindsTheGuest() {
    TestCaps caps = new TestCaps();
    try (Core core = core(caps, StubModule.primary())) {
      caps.storage.unavailable = true;
      assertEquals(
          new Verdict(false, 0, "storage.unavailable", "db.down"), core.record("{\"a\":1}"));
      StorageException e = assertThrows(StorageException.class, core::preview);
      assertEquals(StorageException.Kind.UNAVAILABLE, e.kind());
      caps.storage.unavailable = false;
      assertTrue(core.record("{}").accepted());
    }
  }

  @Test
  void flushCrossesEveryStorageAndTransportImport() {
    TestCaps caps = new TestCaps();
    try (Core core = core(caps, StubModule.primary())) {
      core.record("{\"a\":1}");
      core.record("{\"b\":2}");
      assertEquals(Optional.of("1|{\"a\":1}|{\"limits\":0}"), core.preview());
      FlushReport r = core.flush();
      assertEquals(new FlushReport(null, 1, 1, 2, 0, 0, 0, 0), r);
      assertEquals(1, caps.bodies.size());
      // entropy 01..08 little-endian, shifted right once by the stub
      long nonce = 0x0807060504030201L >>> 1;
      assertEquals(
          "{\"nonce\":\"" + nonce + "\",\"data\":\"1:{\"a\":1},2:{\"b\":2}\",\"k\":20}",
          caps.bodies.get(0));
      var batch = caps.storage.batches.get(1L);
      assertEquals(nonce, batch.sealed.nonce());
      assertEquals("H2", batch.sealed.contentHash());
      assertEquals(
          List.of(1L, 2L),
          Stream.of(batch.sealed.rowIds())
              .flatMapToLong(java.util.Arrays::stream)
              .boxed()
              .toList());
      assertEquals(new Settlement.Delivered(200), batch.last);
      assertTrue(caps.logCodes.contains("flush.done"));
      assertEquals(Optional.empty(), core.preview());
    }
  }

  @Test
  void settlementVariantsCarryRetryAtAndFailureFields() {
    TestCaps caps = new TestCaps();
    try (Core core = core(caps, StubModule.primary())) {
      core.record("{}");
      caps.answer = body -> new Response(429, "120");
      assertEquals(1, core.flush().retrying());
      assertEquals(
          new Settlement.Retry(caps.clockMs.get() + 120_000, 429),
          caps.storage.batches.get(1L).last);
      core.record("{}");
      caps.answer = body -> new Response(400, null);
      assertEquals(1, core.flush().failed());
      assertEquals(
          new Settlement.Failed(400, "http.client-error"), caps.storage.batches.get(2L).last);
      core.record("{}");
      caps.answer =
          body -> {
            throw new TransportException(TransportException.Kind.CONNECT, "tls");
          };
      assertEquals(1, core.flush().retrying());
      assertEquals(
          new Settlement.Retry(caps.clockMs.get() + 30_000, null),
          caps.storage.batches.get(3L).last);
    }
  }

  @Test
  void flushInLocalModeStopsWithTheReason() {
    TestCaps caps = new TestCaps();
    caps.mode(Mode.LOCAL);
    try (Core core = core(caps, StubModule.primary())) {
      FlushReport report = core.flush();
      assertEquals("mode.local", report.stopped());
      assertEquals(StopReason.MODE_LOCAL, report.stopReason());
      assertTrue(caps.bodies.isEmpty());
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void inspectExportsLiftEveryPayloadErrorAndRecord(ModuleSource source) {
    TestCaps caps = new TestCaps();
    try (Core core = core(caps, source)) {
      assertEquals(
          new Decoded(-2L, "ABC", true, "123456", "x€", 4, "STUB-TENA-NT00-0001"),
          core.decode("x€"));
      PayloadException e = assertThrows(PayloadException.class, () -> core.decode("bad"));
      assertEquals(PayloadException.Kind.MALFORMED, e.kind());
      assertEquals("json", e.reason());
      assertEquals(
          PayloadException.Kind.TOO_LARGE,
          assertThrows(PayloadException.class, () -> core.decode("big")).kind());
      assertEquals(
          PayloadException.Kind.WEAK_SECRET,
          assertThrows(PayloadException.class, () -> core.verify("b", new byte[19], 0, 1)).kind());
      byte[] secret = new byte[20];
      secret[0] = (byte) 200;
      assertEquals(
          new Verified(1_700_000_000L, "body", "200", 1, -1),
          core.verify("body", secret, 1_700_000_000L, 1));
    }
  }

  @Test
  void catalogRendersEveryValueKind() {
    TestCaps caps = new TestCaps();
    try (Core core = core(caps, StubModule.primary())) {
      List<EventSpec> catalog = core.catalog();
      assertEquals(2, catalog.size());
      assertEquals(List.of("csv", "json"), catalog.get(0).segment());
      assertEquals(
          List.of(
              new AttributeSpec("format", "one-of(csv|json|xlsx|sql)", "The format."),
              new AttributeSpec("rows", "integer(0..1000000000)", "How many rows."),
              new AttributeSpec("dry", "boolean", "Dry run.")),
          catalog.get(0).attributes());
      assertNull(catalog.get(1).segment());
      assertEquals(List.of(), catalog.get(1).attributes());
    }
  }

  @Test
  void statsAreSummedOverPoolInstances() throws Exception {
    TestCaps caps = new TestCaps();
    try (Core core = core(caps, StubModule.primary())) {
      // Two threads in parallel make the pool create both instances.
      Thread t1 = new Thread(() -> core.record("{}"));
      Thread t2 = new Thread(() -> core.record("{}"));
      t1.start();
      t2.start();
      t1.join();
      t2.join();
      core.record("{}");
      Counter accepted =
          core.stats().stream().filter(c -> c.name().equals("accepted")).findFirst().orElseThrow();
      assertEquals(3, accepted.value());
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void aTrapIsReportedAsHostErrorAndTheInstanceIsReplaced(ModuleSource source) {
    TestCaps caps = new TestCaps();
    try (Core core = core(caps, source)) {
      assertEquals(new Verdict(false, 0, Core.HOST_ERROR, "event"), core.record("trap"));
      assertTrue(core.record("{}").accepted());
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void aGuestThatNeverReturnsIsStoppedByTheCallTimeout(ModuleSource source) {
    TestCaps caps = new TestCaps();
    try (Core core =
        Core.builder(caps.capabilities())
            .withModule(source)
            .withPoolSize(1)
            .withCallTimeout(Duration.ofMillis(300))
            .build()) {
      long t0 = System.nanoTime();
      assertEquals(new Verdict(false, 0, Core.HOST_ERROR, "event"), core.record("loop"));
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
      assertFalse(Thread.currentThread().isInterrupted());
      assertTrue(core.record("{}").accepted());
    }
  }

  @Test
  void aTimeoutNeverInterruptsAStorageCallInProgress() {
    TestCaps caps = new TestCaps();
    caps.storage.appendDelayMs = 800;
    try (Core core =
        Core.builder(caps.capabilities())
            .withModule(StubModule.primary())
            .withPoolSize(1)
            .withCallTimeout(Duration.ofMillis(200))
            .build()) {
      assertEquals(new Verdict(false, 0, Core.HOST_ERROR, "event"), core.record("{}"));
      assertFalse(caps.storage.appendSawInterrupt, "storage transaction was interrupted");
      assertEquals(1, caps.storage.rows.size(), "the storage call completed as one transaction");
      assertFalse(Thread.currentThread().isInterrupted());
      caps.storage.appendDelayMs = 0;
      assertTrue(core.record("{}").accepted());
    }
  }

  @Test
  void memoryIsCappedAtMaxPages() {
    TestCaps caps = new TestCaps();
    try (Core core = core(caps, StubModule.primary())) {
      assertEquals(new Verdict(false, 0, Core.HOST_ERROR, "event"), core.record("grow"));
      assertTrue(core.record("{}").accepted());
    }
  }

  @Test
  void aLoneSurrogateIsRejectedCleanlyBeforeTheGuestSeesIt() {
    TestCaps caps = new TestCaps();
    try (Core core = core(caps, StubModule.primary())) {
      String bad = "{\"name\":\"\uD800\"}";
      assertEquals(new Verdict(false, 0, Core.HOST_ENCODING, "event"), core.record(bad));
      assertEquals(Core.HOST_ENCODING, core.check(bad).rule());
      assertEquals(
          PayloadException.Kind.MALFORMED,
          assertThrows(PayloadException.class, () -> core.decode("\uDC00")).kind());
      assertTrue(core.record("{}").accepted());
    }
  }

  @Test
  void severalMebibyteStringsCrossTheAbi() {
    TestCaps caps = new TestCaps();
    try (Core core =
        Core.builder(caps.capabilities())
            .withModule(StubModule.primary())
            .withPoolSize(1)
            .build()) {
      String big = "x".repeat(3 << 20);
      assertEquals(3 << 20, core.decode(big).rowCount());
      assertEquals("json.malformed", core.record(big).rule());
    }
  }

  @Test
  void aRuntimeFailureOfFlushIsAGuestCallException() {
    TestCaps caps = new TestCaps();
    try (Core core = core(caps, StubModule.primary())) {
      core.record("{}");
      caps.storage.failSealWith = new IllegalStateException("boom");
      // the stub unwraps seal's result: other("host.exception") makes it panic → trap
      assertThrows(GuestCallException.class, core::flush);
      caps.storage.failSealWith = null;
      assertEquals(Optional.of("1|{}|{\"limits\":0}"), core.preview());
    }
  }
}
