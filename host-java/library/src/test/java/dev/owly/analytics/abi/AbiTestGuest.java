package dev.owly.analytics.abi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import run.endive.runtime.Instance;
import run.endive.wasm.Parser;

/**
 * A fresh instance of {@code owly-stub/abi_test.wasm} (source {@code tests/stub/wat/abi_test.wat}).
 */
final class AbiTestGuest {
  final Instance instance;
  final GuestMemory mem;

  AbiTestGuest() {
    try (InputStream in = AbiTestGuest.class.getResourceAsStream("/owly-stub/abi_test.wasm")) {
      instance = Instance.builder(Parser.parse(in.readAllBytes())).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    mem = GuestMemory.of(instance.memory(), instance.export("cabi_realloc"));
  }
}
