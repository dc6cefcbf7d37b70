package dev.owly.analytics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.runtime.ModuleContract;
import dev.owly.analytics.runtime.ModuleSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The real core, as built by this build, on both engines. */
@Tag("core")
class EnginesTest {

  @Test
  void theShippedModuleMatchesTheWorldSignatures() {
    assertEquals(
        java.util.List.of(),
        ModuleContract.problems(ModuleSource.interpreter().module()),
        "core module vs WitTypes");
  }

  @Test
  void aotIsTheDefaultEngine() {
    try (Core core = Core.builder(new TestCaps().capabilities()).build()) {
      assertEquals("aot", core.engine());
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void bothEnginesGiveTheSameBody(Engine engine) {
    TestCaps caps = new TestCaps();
    try (Core core = Core.builder(caps.capabilities()).withEngine(engine).withPoolSize(1).build()) {
      assertTrue(core.record(HostileInputTest.EVENT).accepted());
      core.flush();
    }
    TestCaps again = new TestCaps();
    try (Core core = Core.builder(again.capabilities()).withPoolSize(1).build()) {
      core.record(HostileInputTest.EVENT);
      core.flush();
    }
    assertEquals(again.bodies, caps.bodies);
  }
}
