package dev.owly.analytics.graalwasm;

import dev.owly.analytics.runtime.WasmRuntime;

/**
 * {@code graalwasm} for {@link dev.owly.analytics.runtime.ModuleSource#provided}: found by {@link
 * java.util.ServiceLoader} when this jar and the polyglot jars are on the class path of a JDK 21+.
 */
public final class GraalWasmProvider implements WasmRuntime.Provider {
  @Override
  public String name() {
    return "graalwasm";
  }

  @Override
  public WasmRuntime load(byte[] wasm) {
    return new GraalWasmRuntime(wasm);
  }
}
