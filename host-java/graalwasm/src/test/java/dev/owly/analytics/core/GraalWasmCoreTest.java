package dev.owly.analytics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.OwlyException;
import dev.owly.analytics.runtime.ModuleSource;
import org.junit.jupiter.api.Test;

/** {@link Engine#GRAALWASM} through the public builder, found by ServiceLoader. */
class GraalWasmCoreTest {
  @Test
  void theEngineIsFoundThroughServiceLoaderAndRunsTheShippedCore() {
    try (Core core =
        Core.builder(new TestCaps().capabilities())
            .withEngine(Engine.GRAALWASM)
            .withPoolSize(1)
            .build()) {
      assertEquals("graalwasm", core.engine());
      assertTrue(core.check("{\"name\":\"owly.export.tables.propertyentry\"}").ok());
      assertEquals(
          "@email",
          core.check(
                  "{\"name\":\"owly.export.failed\",\"attributes\":{\"reason\":\"jane.doe@example.com\"}}")
              .rule());
      assertTrue(core.catalog().size() > 5);
    }
  }

  @Test
  void anUnknownEngineNameIsAClearError() {
    OwlyException e =
        assertThrows(
            OwlyException.class, () -> ModuleSource.provided("nope", ModuleSource.coreWasm()));
    assertTrue(e.getMessage().startsWith("engine.unavailable: nope"), e.getMessage());
  }
}
