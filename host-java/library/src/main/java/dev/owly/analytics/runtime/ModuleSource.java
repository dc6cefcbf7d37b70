package dev.owly.analytics.runtime;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.OwlyException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import run.endive.compiler.MachineFactoryCompiler;
import run.endive.runtime.CompiledModule;
import run.endive.runtime.InterpreterMachine;
import run.endive.wasm.Parser;
import run.endive.wasm.WasmModule;

/**
 * A module made ready once and shared by every instance of a pool: its parsed form (for {@link
 * ModuleContract}, always read by Endive's parser) and the {@link WasmRuntime} that runs it.
 */
public final class ModuleSource {
  /** Class generated at build time by endive-compiler-maven-plugin from the core module. */
  public static final String AOT_CLASS = "dev.owly.analytics.runtime.aot.OwlyCoreModule";

  /** Where the build puts the core module inside the jar. */
  public static final String WASM_RESOURCE = "/owly/owly_core.wasm";

  /** The engine name of GraalWasm ({@code owly-graalwasm}, JDK 21+). */
  public static final String GRAALWASM = "graalwasm";

  private final WasmModule module;
  private final WasmRuntime runtime;

  private ModuleSource(WasmModule module, WasmRuntime runtime) {
    this.module = requireNonNull(module, "module");
    this.runtime = requireNonNull(runtime, "runtime");
  }

  /** The core module translated to JVM bytecode at build time (the default engine). */
  public static ModuleSource aot() {
    try {
      CompiledModule compiled =
          (CompiledModule) Class.forName(AOT_CLASS).getDeclaredConstructor().newInstance();
      return new ModuleSource(
          compiled.wasmModule(),
          new EndiveRuntime("aot", compiled.wasmModule(), compiled.machineFactory()));
    } catch (ReflectiveOperationException e) {
      throw new OwlyException("aot.missing: " + AOT_CLASS, e);
    }
  }

  /** The core module from the jar, interpreted. */
  public static ModuleSource interpreter() {
    return interpreter(coreWasm());
  }

  public static ModuleSource interpreter(byte[] wasm) {
    WasmModule module = Parser.parse(wasm);
    return new ModuleSource(
        module, new EndiveRuntime("interpreter", module, InterpreterMachine::new));
  }

  /** Any module compiled to bytecode at runtime (used for test modules). */
  public static ModuleSource runtimeCompiled(byte[] wasm) {
    WasmModule module = Parser.parse(wasm);
    return new ModuleSource(
        module,
        new EndiveRuntime("runtime-compiler", module, MachineFactoryCompiler.compile(module)));
  }

  /** The core module from the jar on GraalWasm (needs {@code owly-graalwasm} and JDK 21+). */
  public static ModuleSource graalwasm() {
    return provided(GRAALWASM, coreWasm());
  }

  /**
   * Any module on an engine found through {@link ServiceLoader} ({@link WasmRuntime.Provider});
   * throws {@link OwlyException} {@code engine.unavailable: NAME} when none serves it.
   */
  public static ModuleSource provided(String engine, byte[] wasm) {
    WasmModule module = Parser.parse(wasm);
    try {
      for (WasmRuntime.Provider p : ServiceLoader.load(WasmRuntime.Provider.class)) {
        if (p.name().equals(engine)) {
          return new ModuleSource(module, p.load(wasm));
        }
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      // e.g. the owly-graalwasm jar (Java 21 classes) on the class path of a JDK 17
      throw new OwlyException(
          "engine.unavailable: "
              + engine
              + " (cannot be loaded on Java "
              + Runtime.version().feature()
              + ")",
          e);
    }
    throw new OwlyException(
        "engine.unavailable: "
            + engine
            + " (needs JDK 21+ and the owly-graalwasm jars on the class path; this is Java "
            + Runtime.version().feature()
            + ")");
  }

  /** The bytes of the core module shipped in the jar. */
  public static byte[] coreWasm() {
    try (InputStream in = ModuleSource.class.getResourceAsStream(WASM_RESOURCE)) {
      if (in == null) {
        throw new OwlyException("wasm.missing: " + WASM_RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new OwlyException("wasm.unreadable", e);
    }
  }

  public WasmModule module() {
    return module;
  }

  public WasmRuntime runtime() {
    return runtime;
  }

  @Override
  public String toString() {
    return runtime.name();
  }
}
