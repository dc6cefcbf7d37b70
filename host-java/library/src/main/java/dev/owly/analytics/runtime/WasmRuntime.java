package dev.owly.analytics.runtime;

import dev.owly.analytics.abi.CoreFunction;
import dev.owly.analytics.abi.FlatType;
import dev.owly.analytics.abi.LinearMemory;
import java.util.List;

/**
 * A wasm engine with one core module loaded: the few operations the Canonical ABI and the {@link
 * InstancePool} need. Endive ({@link EndiveRuntime}) is built in; others (GraalWasm, in its own
 * module for JDK 21+) come through {@link Provider} and {@link java.util.ServiceLoader}, so this
 * library depends on none of them. The module is validated by the pool ({@link ModuleContract})
 * before an instance is made.
 */
public interface WasmRuntime {
  /** Short name: {@code aot}, {@code interpreter}, {@code graalwasm} … */
  String name();

  /**
   * A new instance whose imports are {@code imports} (one for every function the module imports)
   * and whose memory can never grow beyond {@code maxPages} pages ({@code memory.grow} fails). Its
   * start function, if any, has run.
   */
  Instance instantiate(List<HostFunction> imports, int maxPages);

  /** One instance, used by one thread at a time. */
  interface Instance {
    LinearMemory memory();

    /** An exported function, or null. A trap in it is thrown as a {@link GuestTrap}. */
    CoreFunction export(String name);

    /**
     * Asks the guest code running on {@code caller} (inside an export of this instance) to stop
     * soon with {@link GuestTrap} {@code interrupted}; never blocks and never interrupts host code
     * the guest is calling. Called from the pool's watchdog thread.
     */
    void interrupt(Thread caller);

    /** Frees what the engine holds for this instance; it is never used again. */
    default void close() {}
  }

  /** The host side of one import, with its core signature. */
  record HostFunction(
      String module,
      String name,
      List<FlatType> params,
      List<FlatType> results,
      CoreFunction impl) {
    public HostFunction {
      params = List.copyOf(params);
      results = List.copyOf(results);
    }
  }

  /** A trap or interruption inside guest code, in engine-neutral terms. */
  final class GuestTrap extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@code trap}, {@code interrupted} or {@code stack-overflow}. */
    private final String code;

    public GuestTrap(String code, Throwable cause) {
      super(code, cause);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /**
   * A wasm engine found through {@link java.util.ServiceLoader} ({@code
   * META-INF/services/dev.owly.analytics.runtime.WasmRuntime$Provider}).
   */
  interface Provider {
    /** The engine name it serves, e.g. {@code graalwasm}. */
    String name();

    /** Loads (parses, prepares) a module once; its instances share that work. */
    WasmRuntime load(byte[] wasm);
  }
}
