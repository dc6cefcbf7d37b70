package dev.owly.analytics.runtime;

import dev.owly.analytics.abi.CanonicalAbi;
import dev.owly.analytics.abi.FuncType;
import dev.owly.analytics.abi.GuestMemory;
import dev.owly.analytics.abi.WitTypes;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import run.endive.runtime.ExportFunction;
import run.endive.runtime.Instance;

/** One instance of the module, used by one caller at a time (see {@link InstancePool}). */
public final class GuestInstance implements HostImports.Context {
  private final Instance instance;
  private final GuestMemory memory;
  private final Map<FuncType, ExportFunction> exports = new HashMap<>();
  private final Map<FuncType, ExportFunction> postReturns = new HashMap<>();
  private CallGuard guard;

  GuestInstance(Instance instance, Set<String> exportNames) {
    this.instance = instance;
    this.memory = GuestMemory.of(instance.memory(), instance.export("cabi_realloc"));
    for (FuncType f : WitTypes.EXPORTS) {
      if (exportNames.contains(WitTypes.exportName(f))) {
        exports.put(f, instance.export(WitTypes.exportName(f)));
      }
      if (exportNames.contains(WitTypes.postReturnName(f))) {
        postReturns.put(f, instance.export(WitTypes.postReturnName(f)));
      }
    }
  }

  /** Calls an export of the world; the result is a generic ABI value (see {@code WitType}). */
  public Object call(FuncType export, Object... args) {
    ExportFunction fn = exports.get(export);
    if (fn == null) {
      throw new GuestCallException("wasm.missing-export");
    }
    return CanonicalAbi.callExport(memory, fn, postReturns.get(export), export, args);
  }

  @Override
  public GuestMemory memory() {
    return memory;
  }

  @Override
  public CallGuard guard() {
    return guard;
  }

  void guard(CallGuard guard) {
    this.guard = guard;
  }

  /** Bytes of linear memory currently allocated. */
  public long memoryBytes() {
    return memory.byteSize();
  }
}
