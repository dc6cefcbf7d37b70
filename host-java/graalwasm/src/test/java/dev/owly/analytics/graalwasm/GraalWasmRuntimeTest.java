package dev.owly.analytics.graalwasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.OwlyException;
import dev.owly.analytics.runtime.ModuleSource;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import run.endive.wasm.Parser;

/** What is GraalWasm-specific: the compiler in the tests' JVM, the memory cap in the binary. */
class GraalWasmRuntimeTest {
  @Test
  void theTestsRunWithTheOptimizingCompilerAsShipped() {
    try (org.graalvm.polyglot.Engine engine =
        org.graalvm.polyglot.Engine.newBuilder("wasm")
            .option("engine.WarnInterpreterOnly", "false")
            .build()) {
      assertTrue(
          GraalWasmRuntime.optimizing(engine),
          "Truffle runtime: " + engine.getImplementationName() + " (JVMCI flags missing?)");
    }
  }

  @Test
  void theMemoryCapIsWrittenIntoTheModule() {
    byte[] core = ModuleSource.coreWasm();
    byte[] capped = WasmBinary.capMemory(core, 40);
    var limits = Parser.parse(capped).memorySection().orElseThrow().getMemory(0).limits();
    assertEquals(40, limits.maximumPages());
    var before = Parser.parse(core).memorySection().orElseThrow().getMemory(0).limits();
    assertEquals(before.initialPages(), limits.initialPages());
    // Everything else is byte-identical: same sections, same order.
    assertEquals(
        Parser.parse(core).exportSection().exportCount(),
        Parser.parse(capped).exportSection().exportCount());
  }

  @Test
  void aTruncatedModuleIsRefused() {
    byte[] core = ModuleSource.coreWasm();
    assertThrows(
        OwlyException.class, () -> WasmBinary.capMemory(Arrays.copyOf(core, core.length / 2), 8));
    assertThrows(OwlyException.class, () -> WasmBinary.capMemory(new byte[] {1, 2, 3}, 8));
  }
}
