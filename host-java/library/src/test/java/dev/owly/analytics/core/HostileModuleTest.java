package dev.owly.analytics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.abi.Case;
import dev.owly.analytics.abi.WitTypes;
import dev.owly.analytics.runtime.GuestCallException;
import dev.owly.analytics.runtime.InstancePool;
import dev.owly.analytics.spi.Capabilities;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A guest that breaks the Canonical ABI on purpose ({@code owly-stub/hostile.wasm}, source {@code
 * tests/stub/wat/hostile.wat}) through a real pool: every violation fails that one call with a
 * stable code, the instance is discarded, and the next call works on a fresh instance.
 */
class HostileModuleTest {
  private static final Case OK_42 = new Case(0, 42L);

  private final TestCaps caps = new TestCaps();
  private final List<Integer> logged = Collections.synchronizedList(new ArrayList<>());
  private final InstancePool pool =
      InstancePool.builder(StubModule.primary("hostile.wasm"), capabilities()).withSize(1).build();

  private Capabilities capabilities() {
    Capabilities c = caps.capabilities();
    return new Capabilities(
        c.storage(),
        c.transport(),
        c.clock(),
        c.entropy(),
        c.settings(),
        (level, code, counters) -> logged.add(counters.size()));
  }

  @AfterEach
  void close() {
    pool.close();
  }

  private Object record(String event) {
    return pool.call(g -> g.call(WitTypes.RECORDER_RECORD, event));
  }

  private String failure(String event) {
    return assertThrows(GuestCallException.class, () -> record(event)).code();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "a, abi.may-not-leave", // cabi_realloc calls an import (F4)
    "b, abi.out-of-bounds", // cabi_realloc returns a pointer past the end
    "c, abi.misaligned", // cabi_realloc returns an odd pointer for an 8-aligned list
    "e, abi.may-not-leave", // cabi_post_…#record calls an import (F4)
    "f, abi.lift-budget", // 4096 list elements on the same 64 KiB (F3)
    "h, abi.list-too-long", // a list over 2^28-1 bytes (F3)
  })
  void aViolationFailsThatCallDiscardsTheInstanceAndTheNextCallWorks(String event, String code) {
    assertEquals(OK_42, record("x"));
    assertEquals(1, pool.liveInstances());
    assertEquals(code, failure(event));
    assertEquals(0, pool.liveInstances(), "the instance was discarded");
    assertEquals(OK_42, record("x"));
  }

  @Test
  void anImportCalledFromCabiReallocWhileTheHostLowersArgumentsTraps() {
    // `i` leaves cabi_realloc calling clock.now-ms; the next call's argument is lowered through it.
    assertEquals(OK_42, record("i"));
    assertEquals("abi.may-not-leave", failure("x"));
    assertEquals(0, pool.liveInstances());
    assertEquals(OK_42, record("x"));
  }

  @Test
  void anOutOfBoundsReallocWhileTheHostLowersArgumentsTraps() {
    assertEquals(OK_42, record("j"));
    assertEquals("abi.out-of-bounds", failure("x"));
    assertEquals(OK_42, record("x"));
  }

  @Test
  void overlappingAllocationsAreTheGuestsOwnBusinessAndHarmlessToTheHost() {
    // Every allocation returns the same bytes: the host writes the config's strings over each
    // other. The host never reads them back, so the guest only hurts itself.
    assertEquals(OK_42, record("d"));
    assertEquals(OK_42, record("x"));
    assertEquals(1, pool.liveInstances());
  }

  @Test
  void aliasingWithinTheBudgetIsLifted() {
    assertEquals(OK_42, record("g"));
    assertEquals(List.of(4), logged);
  }

  @Test
  void theLiftBudgetStopsAnAliasedListAtOnceWithoutTheHeapOrTheTimeout() {
    // 4096 names × 64 KiB = 256 MiB from a 128 KiB memory; the call timeout is the default 30 s.
    long before = allocatedBytes();
    long t0 = System.nanoTime();
    assertEquals("abi.lift-budget", failure("f"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    long allocated = allocatedBytes() - before;
    assertTrue(ms < 2_000, "took " + ms + " ms");
    assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes");
  }

  @Test
  void anAliasedExportResultIsStoppedByTheLiftBudgetToo() {
    assertEquals(
        "abi.lift-budget",
        assertThrows(
                GuestCallException.class, () -> pool.call(g -> g.call(WitTypes.RECORDER_STATS)))
            .code());
    assertEquals(OK_42, record("x"));
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
