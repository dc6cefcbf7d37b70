package dev.owly.analytics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.abi.WitTypes;
import dev.owly.analytics.runtime.GuestCallException;
import dev.owly.analytics.runtime.InstancePool;
import dev.owly.analytics.spi.Capabilities;
import dev.owly.analytics.spi.Config;
import dev.owly.analytics.spi.NewRow;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Row;
import dev.owly.analytics.spi.Settlement;
import dev.owly.analytics.spi.Storage;
import dev.owly.analytics.spi.StorageException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 7's ABI findings against the wit-bindgen stand-in and the real core: F1 (an unencodable
 * host result), F2 (a capability calling back into the core), F5 (out-of-range host integers).
 * F3/F4 need a guest that misbehaves: {@link HostileModuleTest}.
 */
class AbiRobustnessTest {
  private static final String LONE = "\uD800";

  /** One storage method replaced; the rest is the in-memory storage. */
  private static Storage storage(
      Storage real, String method, Function<Object[], Object> replacement) {
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            (proxy, m, args) -> {
              if (m.getName().equals(method)) {
                return replacement.apply(args);
              }
              try {
                return m.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static Capabilities with(TestCaps caps, Storage storage) {
    Capabilities c = caps.capabilities();
    return new Capabilities(storage, c.transport(), c.clock(), c.entropy(), c.settings(), c.log());
  }

  private static Core stubCore(Capabilities caps, int poolSize, Duration timeout) {
    return Core.builder(caps)
        .withModule(StubModule.primary())
        .withPoolSize(poolSize)
        .withCallTimeout(timeout)
        .build();
  }

  private static NewRow row(String name) {
    return new NewRow(name, "BWSN-B5B6-32P4-DDL7", "9.12.15", "0.9.9", 1L, "{}");
  }

  // ---------------------------------------------------------------- F1

  @Test
  void aStorageResultWithALoneSurrogateBecomesOtherHostEncodingOnTheStub() {
    TestCaps caps = new TestCaps();
    Storage s = storage(caps.storage, "peek", a -> List.of(new Row(1, row("bad" + LONE))));
    try (Core core = stubCore(with(caps, s), 1, Duration.ofSeconds(5))) {
      StorageException e = assertThrows(StorageException.class, core::preview);
      assertEquals(StorageException.Kind.OTHER, e.kind());
      assertEquals("host.encoding", e.getMessage());
      assertTrue(core.record("{}").accepted());
    }
  }

  @Test
  @Tag("core")
  void theRealCoreKeepsWorkingAfterAStorageRowItCannotReceive() {
    // Before F1 was fixed the lowering threw inside the import, the instance was kept, and this
    // record panicked "already borrowed" in the core's RefCell.
    TestCaps caps = new TestCaps();
    Storage s = storage(caps.storage, "peek", a -> List.of(new Row(1, row("owly" + LONE))));
    try (Core core = Core.builder(with(caps, s)).withPoolSize(1).build()) {
      StorageException e = assertThrows(StorageException.class, core::preview);
      assertEquals("host.encoding", e.getMessage());
      Verdict v = core.record(HostileInputTest.EVENT);
      assertTrue(v.accepted(), "after the failure: " + v);
      assertEquals(1, caps.storage.rows.size());
    }
  }

  @Test
  @Tag("core")
  void theRealCoreKeepsWorkingAfterSettingsItCannotReceive() {
    // settings.get has no error case: the call fails and the instance is discarded, never kept.
    TestCaps caps = new TestCaps();
    Config good = caps.config;
    caps.config =
        new Config(
            good.mode(),
            "BWSN" + LONE,
            good.productVersion(),
            good.appVersion(),
            good.collectorConfigured(),
            good.retentionDays(),
            good.limits());
    try (Core core = Core.builder(caps.capabilities()).withPoolSize(1).build()) {
      assertEquals(Core.HOST_ERROR, core.record(HostileInputTest.EVENT).rule());
      caps.config = good;
      assertTrue(core.record(HostileInputTest.EVENT).accepted());
    }
  }

  @Test
  void anUnencodableResultWithoutAnErrorCaseDiscardsTheInstance() {
    TestCaps caps = new TestCaps();
    Config good = caps.config;
    caps.config =
        new Config(
            good.mode(),
            good.serverId(),
            LONE,
            good.appVersion(),
            good.collectorConfigured(),
            good.retentionDays(),
            good.limits());
    try (InstancePool pool =
        InstancePool.builder(StubModule.primary(), caps.capabilities()).withSize(1).build()) {
      GuestCallException e =
          assertThrows(
              GuestCallException.class,
              () -> pool.call(g -> g.call(WitTypes.RECORDER_RECORD, "{}")));
      assertEquals("abi.unencodable-result", e.code());
      assertTrue(e.getCause().getMessage().contains("settings.get: abi.invalid-utf16"));
      assertEquals(0, pool.liveInstances(), "never kept");
      caps.config = good;
      assertEquals(
          0,
          ((dev.owly.analytics.abi.Case) pool.call(g -> g.call(WitTypes.RECORDER_RECORD, "{}")))
              .index());
    }
  }

  @Test
  void aTruncatedErrorCodeNeverSplitsASurrogatePair() {
    // 199 letters, then U+1F600 as a pair at chars 199/200: a cut at 200 would leave half of it.
    String message = "x".repeat(199) + "\uD83D\uDE00" + "tail";
    TestCaps caps = new TestCaps();
    Storage s =
        storage(
            caps.storage,
            "append",
            a -> {
              throw new StorageException(StorageException.Kind.UNAVAILABLE, message);
            });
    try (Core core = stubCore(with(caps, s), 1, Duration.ofSeconds(5))) {
      assertEquals(
          new Verdict(false, 0, "storage.unavailable", "x".repeat(199)), core.record("{}"));
    }
  }

  @Test
  void anErrorMessageWithALoneSurrogateBecomesOtherHostEncoding() {
    TestCaps caps = new TestCaps();
    Storage s =
        storage(
            caps.storage,
            "append",
            a -> {
              throw new StorageException(StorageException.Kind.UNAVAILABLE, "db" + LONE);
            });
    try (Core core = stubCore(with(caps, s), 1, Duration.ofSeconds(5))) {
      assertEquals(new Verdict(false, 0, "storage.other", "host.encoding"), core.record("{}"));
    }
  }

  // ---------------------------------------------------------------- F5

  @ParameterizedTest
  @ValueSource(ints = {70_000, 65_536, -1})
  void anOutOfRangeStatusFailsThatSendInsteadOfBeingTruncated(int status) {
    // 70000 used to reach the guest as 70000 & 0xFFFF = 4464, a "client error" → failed.
    TestCaps caps = new TestCaps();
    caps.answer = body -> new Response(status, null);
    try (Core core = stubCore(caps.capabilities(), 1, Duration.ofSeconds(5))) {
      assertTrue(core.record("{}").accepted());
      FlushReport r = core.flush();
      assertEquals(1, r.retrying(), r.toString());
      assertEquals(0, r.failed(), r.toString());
      assertEquals(
          new Settlement.Retry(caps.clockMs.get() + 30_000, null),
          caps.storage.batches.get(1L).last);
      assertTrue(core.record("{}").accepted());
    }
  }

  // ---------------------------------------------------------------- F2

  /** A storage whose append first calls back into the core through {@code reenter}. */
  private static Core reentrantCore(
      TestCaps caps,
      int poolSize,
      Duration timeout,
      AtomicReference<Core> self,
      Function<Core, Object> reenter,
      AtomicReference<Throwable> seen) {
    Storage s =
        storage(
            caps.storage,
            "append",
            a -> {
              try {
                reenter.apply(self.get());
                seen.set(new AssertionError("the inner call returned"));
              } catch (RuntimeException e) {
                seen.set(e);
              }
              return caps.storage.append((NewRow) a[0]);
            });
    Core core = stubCore(with(caps, s), poolSize, timeout);
    self.set(core);
    return core;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aCapabilityCallingBackIntoTheCoreFailsFastAndTheOuterCallCompletes(int poolSize) {
    List<Function<Core, Object>> reentries =
        List.of(
            c -> c.record("{}"),
            c -> c.check("{}"),
            Core::stats,
            Core::preview,
            c -> c.decode("x"),
            Core::flush);
    for (Function<Core, Object> reenter : reentries) {
      TestCaps caps = new TestCaps();
      AtomicReference<Core> self = new AtomicReference<>();
      AtomicReference<Throwable> seen = new AtomicReference<>();
      try (Core core = reentrantCore(caps, poolSize, Duration.ofSeconds(10), self, reenter, seen)) {
        Verdict v = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> core.record("{}"));
        assertTrue(v.accepted(), v.toString());
        GuestCallException e = assertInstanceOf(seen.get());
        assertEquals(GuestCallException.REENTRANT, e.code());
        assertEquals(1, caps.storage.rows.size(), "only the outer record stored a row");
        assertTrue(core.record("{}").accepted(), "the pool works afterwards");
      }
    }
  }

  @Test
  void aReentryAttemptNeverClearsTheOuterCallsTimeLimit() {
    // The outer guest spins after storage.append returns: its deadline must still stop it.
    TestCaps caps = new TestCaps();
    AtomicReference<Core> self = new AtomicReference<>();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    try (Core core = reentrantCore(caps, 1, Duration.ofMillis(300), self, Core::stats, seen)) {
      Verdict v =
          assertTimeoutPreemptively(
              Duration.ofSeconds(20), () -> core.record("{\"then\":\"loop\"}"));
      assertEquals(new Verdict(false, 0, Core.HOST_ERROR, "event"), v);
      assertEquals(GuestCallException.REENTRANT, assertInstanceOf(seen.get()).code());
      assertFalse(Thread.currentThread().isInterrupted());
      assertTrue(core.record("{}").accepted());
    }
  }

  @Test
  @Tag("core")
  void theRealCoreRefusesReentryToo() {
    TestCaps caps = new TestCaps();
    AtomicReference<Core> self = new AtomicReference<>();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    Storage s =
        storage(
            caps.storage,
            "append",
            a -> {
              try {
                self.get().record(HostileInputTest.EVENT);
              } catch (RuntimeException e) {
                seen.set(e);
              }
              return caps.storage.append((NewRow) a[0]);
            });
    try (Core core = Core.builder(with(caps, s)).withPoolSize(1).build()) {
      self.set(core);
      assertTrue(
          assertTimeoutPreemptively(
                  Duration.ofSeconds(20), () -> core.record(HostileInputTest.EVENT))
              .accepted());
      assertEquals(GuestCallException.REENTRANT, assertInstanceOf(seen.get()).code());
      assertTrue(core.record(HostileInputTest.EVENT).accepted());
      assertEquals(2, caps.storage.rows.size());
    }
  }

  private static GuestCallException assertInstanceOf(Throwable t) {
    assertNotNull(t, "the capability saw no failure");
    if (t instanceof GuestCallException g) {
      return g;
    }
    throw new AssertionError("expected GuestCallException", t);
  }
}
