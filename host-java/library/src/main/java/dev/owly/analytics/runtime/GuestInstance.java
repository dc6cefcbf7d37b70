package dev.owly.analytics.runtime;

import dev.owly.analytics.abi.CanonicalAbi;
import dev.owly.analytics.abi.CoreFunction;
import dev.owly.analytics.abi.FuncType;
import dev.owly.analytics.abi.GuestMemory;
import dev.owly.analytics.abi.WitTypes;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** One instance of the module, used by one caller at a time (see {@link InstancePool}). */
public final class GuestInstance implements HostImports.Context {
  private final WasmRuntime.Instance instance;
  private final GuestMemory memory;
  private final Map<FuncType, CoreFunction> exports = new HashMap<>();
  private final Map<FuncType, CoreFunction> postReturns = new HashMap<>();
  private CallGuard guard;

  /** The spec's {@code may_enter}, inverted: an export of this instance is running. */
  private boolean inExport;

  /** Whether guest code ran (or guest memory changed) since {@link #begin}. */
  private boolean entered;

  GuestInstance(WasmRuntime.Instance instance, Set<String> exportNames) {
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

  /**
   * Calls an export of the world; the result is a generic ABI value (see {@code WitType}). The
   * arguments are encoded first: an argument that does not fit its type fails here with {@code
   * AbiException} and the guest has not run.
   */
  public Object call(FuncType export, Object... args) {
    CoreFunction fn = exports.get(export);
    if (fn == null) {
      throw new GuestCallException("wasm.missing-export");
    }
    CanonicalAbi.EncodedArgs encoded = CanonicalAbi.encodeArgs(export, args);
    if (inExport) {
      // Spec: trap_if(not may_enter). The suspended export's frames are below us on this thread.
      throw new GuestCallException(GuestCallException.REENTRANT);
    }
    inExport = true;
    entered = true;
    try {
      return CanonicalAbi.callExport(memory, fn, postReturns.get(export), encoded);
    } finally {
      inExport = false;
    }
  }

  @Override
  public GuestMemory memory() {
    return memory;
  }

  @Override
  public CallGuard guard() {
    return guard;
  }

  /** Asks the guest code running on {@code caller} to stop (the watchdog; never blocks). */
  void interrupt(Thread caller) {
    instance.interrupt(caller);
  }

  /** The pool dropped this instance. */
  void close() {
    instance.close();
  }

  /** Starts one pool call on this instance. */
  void begin(CallGuard guard) {
    this.guard = guard;
    this.entered = false;
  }

  void end() {
    this.guard = null;
  }

  /** After a failure: true if the guest may be in an unknown state, so the instance must go. */
  boolean entered() {
    return entered;
  }

  /** Bytes of linear memory currently allocated. */
  public long memoryBytes() {
    return memory.byteSize();
  }
}
