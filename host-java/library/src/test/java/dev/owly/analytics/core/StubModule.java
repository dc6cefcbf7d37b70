package dev.owly.analytics.core;

import dev.owly.analytics.runtime.ModuleSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The stand-in core (test resource {@code owly-stub/}), compiled or interpreted. */
final class StubModule {
  private StubModule() {}

  static byte[] bytes(String name) {
    try (InputStream in = StubModule.class.getResourceAsStream("/owly-stub/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ModuleSource compiled() {
    return ModuleSource.runtimeCompiled(bytes("owly_stub.wasm"));
  }

  static ModuleSource interpreted() {
    return ModuleSource.interpreter(bytes("owly_stub.wasm"));
  }
}
