package dev.owly.analytics.abi;

import dev.owly.analytics.runtime.ModuleSource;
import dev.owly.analytics.runtime.WasmRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A fresh instance of {@code owly-stub/abi_test.wasm} (source {@code tests/stub/wat/abi_test.wat})
 * on Endive's interpreter.
 */
final class AbiTestGuest {
  final WasmRuntime.Instance instance;
  final GuestMemory mem;

  AbiTestGuest() {
    try (InputStream in = AbiTestGuest.class.getResourceAsStream("/owly-stub/abi_test.wasm")) {
      instance = ModuleSource.interpreter(in.readAllBytes()).runtime().instantiate(List.of(), 4);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    mem = GuestMemory.of(instance.memory(), instance.export("cabi_realloc"));
  }
}
