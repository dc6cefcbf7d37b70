package dev.owly.analytics.runtime;

import dev.owly.analytics.abi.CoreFunction;
import dev.owly.analytics.abi.LinearMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import run.endive.runtime.ByteArrayMemory;
import run.endive.runtime.ExportFunction;
import run.endive.runtime.ImportFunction;
import run.endive.runtime.ImportValues;
import run.endive.runtime.Machine;
import run.endive.runtime.Memory;
import run.endive.runtime.TrapException;
import run.endive.runtime.WasmInterruptedException;
import run.endive.wasm.WasmModule;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.MemoryLimits;

/**
 * Endive (interpreter, build-time AOT classes or its runtime compiler, by {@code machineFactory}).
 * Endive checks the thread's interrupt flag at every call and backward branch, so {@link
 * Instance#interrupt} is {@link Thread#interrupt}.
 */
final class EndiveRuntime implements WasmRuntime {
  private final String name;
  private final WasmModule module;
  private final Function<run.endive.runtime.Instance, Machine> machineFactory;

  EndiveRuntime(
      String name,
      WasmModule module,
      Function<run.endive.runtime.Instance, Machine> machineFactory) {
    this.name = name;
    this.module = module;
    this.machineFactory = machineFactory;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Instance instantiate(List<HostFunction> imports, int maxPages) {
    List<ImportFunction> functions = new ArrayList<>(imports.size());
    for (HostFunction h : imports) {
      CoreFunction impl = h.impl();
      functions.add(
          new run.endive.runtime.HostFunction(
              h.module(),
              h.name(),
              FunctionType.of(
                  ModuleContract.valTypes(h.params()), ModuleContract.valTypes(h.results())),
              (instance, args) -> impl.call(args)));
    }
    int initial = module.memorySection().orElseThrow().getMemory(0).limits().initialPages();
    run.endive.runtime.Instance instance =
        run.endive.runtime.Instance.builder(module)
            .withImportValues(ImportValues.builder().withFunctions(functions).build())
            .withMachineFactory(machineFactory)
            .withMemoryLimits(new MemoryLimits(initial, maxPages))
            .withMemoryFactory(ByteArrayMemory::new)
            .build();
    return new Inst(instance);
  }

  private static final class Inst implements Instance {
    private final run.endive.runtime.Instance instance;
    private final LinearMemory memory;

    Inst(run.endive.runtime.Instance instance) {
      this.instance = instance;
      this.memory = new EndiveMemory(instance.memory());
    }

    @Override
    public LinearMemory memory() {
      return memory;
    }

    @Override
    public CoreFunction export(String name) {
      ExportFunction fn;
      try {
        fn = instance.export(name);
      } catch (RuntimeException missing) {
        return null;
      }
      return fn == null ? null : args -> call(fn, args);
    }

    private static long[] call(ExportFunction fn, long[] args) {
      try {
        return fn.apply(args);
      } catch (WasmInterruptedException e) {
        throw new GuestTrap("interrupted", e);
      } catch (TrapException e) {
        throw new GuestTrap("trap", e);
      }
    }

    @Override
    public void interrupt(Thread caller) {
      caller.interrupt();
    }
  }

  /** Endive's memory as the ABI's {@link LinearMemory}. */
  static final class EndiveMemory implements LinearMemory {
    private final Memory m;

    EndiveMemory(Memory m) {
      this.m = m;
    }

    @Override
    public long byteSize() {
      return (long) m.pages() * Memory.PAGE_SIZE;
    }

    @Override
    public byte read(int addr) {
      return m.read(addr);
    }

    @Override
    public short readShort(int addr) {
      return m.readShort(addr);
    }

    @Override
    public int readInt(int addr) {
      return m.readInt(addr);
    }

    @Override
    public long readLong(int addr) {
      return m.readLong(addr);
    }

    @Override
    public byte[] readBytes(int addr, int len) {
      return m.readBytes(addr, len);
    }

    @Override
    public void writeByte(int addr, byte value) {
      m.writeByte(addr, value);
    }

    @Override
    public void writeShort(int addr, short value) {
      m.writeShort(addr, value);
    }

    @Override
    public void writeI32(int addr, int value) {
      m.writeI32(addr, value);
    }

    @Override
    public void writeLong(int addr, long value) {
      m.writeLong(addr, value);
    }

    @Override
    public void write(int addr, byte[] bytes) {
      m.write(addr, bytes);
    }
  }
}
