package dev.owly.analytics.core;

import dev.owly.analytics.runtime.ModuleSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.stream.Stream;

/**
 * The stand-in core and the hostile guests (test resources {@code owly-stub/}) on the engines of
 * {@link TestCaps#engines}: Endive's runtime compiler for AOT (a test module has no build-time
 * classes), its interpreter, or GraalWasm.
 */
final class StubModule {
  private StubModule() {}

  static byte[] bytes(String name) {
    try (InputStream in = StubModule.class.getResourceAsStream("/owly-stub/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ModuleSource on(Engine engine, String name) {
    return switch (engine) {
      case AOT -> ModuleSource.runtimeCompiled(bytes(name));
      case INTERPRETER -> ModuleSource.interpreter(bytes(name));
      case GRAALWASM -> ModuleSource.provided(ModuleSource.GRAALWASM, bytes(name));
    };
  }

  /** The stand-in core on every test engine. */
  static Stream<ModuleSource> sources() {
    return TestCaps.engines().stream().map(e -> on(e, "owly_stub.wasm"));
  }

  /** {@code name} on the first test engine. */
  static ModuleSource primary(String name) {
    return on(TestCaps.engine(), name);
  }

  /** The stand-in core on the first test engine. */
  static ModuleSource primary() {
    return primary("owly_stub.wasm");
  }

  static ModuleSource compiled() {
    return ModuleSource.runtimeCompiled(bytes("owly_stub.wasm"));
  }

  static ModuleSource interpreted() {
    return ModuleSource.interpreter(bytes("owly_stub.wasm"));
  }
}
