package dev.owly.analytics.runtime;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.OwlyException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;
import run.endive.compiler.MachineFactoryCompiler;
import run.endive.runtime.CompiledModule;
import run.endive.runtime.Instance;
import run.endive.runtime.InterpreterMachine;
import run.endive.runtime.Machine;
import run.endive.wasm.Parser;
import run.endive.wasm.WasmModule;

/**
 * A parsed (and, unless interpreted, compiled) module, made once and shared by every instance of a
 * pool.
 */
public final class ModuleSource {
  /** Class generated at build time by endive-compiler-maven-plugin from the core module. */
  public static final String AOT_CLASS = "dev.owly.analytics.runtime.aot.OwlyCoreModule";

  /** Where the build puts the core module inside the jar. */
  public static final String WASM_RESOURCE = "/owly/owly_core.wasm";

  private final WasmModule module;
  private final Function<Instance, Machine> machineFactory;
  private final String description;

  private ModuleSource(
      WasmModule module, Function<Instance, Machine> machineFactory, String description) {
    this.module = requireNonNull(module, "module");
    this.machineFactory = requireNonNull(machineFactory, "machineFactory");
    this.description = description;
  }

  /** The core module translated to JVM bytecode at build time (the default engine). */
  public static ModuleSource aot() {
    try {
      CompiledModule compiled =
          (CompiledModule) Class.forName(AOT_CLASS).getDeclaredConstructor().newInstance();
      return new ModuleSource(compiled.wasmModule(), compiled.machineFactory(), "aot");
    } catch (ReflectiveOperationException e) {
      throw new OwlyException("aot.missing: " + AOT_CLASS, e);
    }
  }

  /** The core module from the jar, interpreted. */
  public static ModuleSource interpreter() {
    return interpreter(coreWasm());
  }

  public static ModuleSource interpreter(byte[] wasm) {
    return new ModuleSource(Parser.parse(wasm), InterpreterMachine::new, "interpreter");
  }

  /** Any module compiled to bytecode at runtime (used for test modules). */
  public static ModuleSource runtimeCompiled(byte[] wasm) {
    WasmModule module = Parser.parse(wasm);
    return new ModuleSource(module, MachineFactoryCompiler.compile(module), "runtime-compiler");
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

  Function<Instance, Machine> machineFactory() {
    return machineFactory;
  }

  @Override
  public String toString() {
    return description;
  }
}
