package dev.owly.analytics.graalwasm;

import dev.owly.analytics.OwlyException;
import dev.owly.analytics.abi.CoreFunction;
import dev.owly.analytics.abi.FlatType;
import dev.owly.analytics.abi.LinearMemory;
import dev.owly.analytics.runtime.WasmRuntime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.ByteSequence;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core module on GraalWasm. One polyglot {@link Engine} per loaded module, so every instance
 * (one {@link Context} each) shares the parsed module and the code Truffle compiled for it. The
 * memory cap is written into the module's memory section ({@link WasmBinary#capMemory}), so {@code
 * memory.grow} fails beyond it exactly as on Endive. A timeout cancels the instance's context; a
 * cancelled context is only ever discarded.
 */
final class GraalWasmRuntime implements WasmRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(GraalWasmRuntime.class);

  private final byte[] wasm;
  private final Engine engine;
  private final Signatures signatures;
  private final Map<Integer, Source> sources = new ConcurrentHashMap<>();

  GraalWasmRuntime(byte[] wasm) {
    this.wasm = wasm.clone();
    this.signatures = Signatures.of(this.wasm);
    this.engine =
        Engine.newBuilder("wasm")
            // Said once through our log instead of Truffle's banner on stderr.
            .option("engine.WarnInterpreterOnly", "false")
            .build();
    if (!optimizing(engine)) {
      LOG.warn(
          "graalwasm runs without its optimizing compiler (runtime {}): start the JVM with"
              + " JVMCI and the Graal compiler jars, see scripts/owly-graalwasm",
          engine.getImplementationName());
    }
  }

  /** True when Truffle found an optimizing runtime (JVMCI + the Graal compiler). */
  static boolean optimizing(Engine engine) {
    return !"Interpreted".equals(engine.getImplementationName());
  }

  @Override
  public String name() {
    return "graalwasm";
  }

  @Override
  public Instance instantiate(List<HostFunction> imports, int maxPages) {
    Source source =
        sources.computeIfAbsent(
            maxPages,
            pages ->
                Source.newBuilder(
                        "wasm",
                        ByteSequence.create(WasmBinary.capMemory(wasm, pages)),
                        "owly_core_" + pages)
                    .buildLiteral());
    Context context = Context.newBuilder("wasm").engine(engine).build();
    try {
      GraalInstance instance = new GraalInstance(context, signatures);
      Value module = context.eval(source);
      Value exports = module.newInstance(importObject(imports)).getMember("exports");
      instance.bind(exports);
      return instance;
    } catch (PolyglotException e) {
      context.close(true);
      throw new OwlyException(
          e.isHostException() ? "wasm.instantiate: host" : "wasm.instantiate: " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      context.close(true);
      throw e;
    }
  }

  /** {@code {module: {name: function}}}, as GraalWasm's {@code newInstance} takes imports. */
  private static Object importObject(List<HostFunction> imports) {
    Map<String, Map<String, Object>> modules = new HashMap<>();
    for (HostFunction h : imports) {
      modules.computeIfAbsent(h.module(), m -> new HashMap<>()).put(h.name(), host(h));
    }
    Map<String, Object> out = new HashMap<>();
    modules.forEach((m, fns) -> out.put(m, ProxyObject.fromMap(fns)));
    return ProxyObject.fromMap(out);
  }

  private static ProxyExecutable host(HostFunction h) {
    FlatType[] params = h.params().toArray(FlatType[]::new);
    FlatType result = h.results().isEmpty() ? null : h.results().get(0);
    if (h.results().size() > 1) {
      throw new OwlyException("wasm.unsupported-import: multi-value " + h.name());
    }
    CoreFunction impl = h.impl();
    return args -> {
      long[] core = new long[params.length];
      for (int i = 0; i < params.length; i++) {
        core[i] = params[i] == FlatType.I32 ? args[i].asInt() : args[i].asLong();
      }
      long[] r = impl.call(core);
      if (result == null) {
        return null;
      }
      return result == FlatType.I32 ? (Object) (int) r[0] : (Object) r[0];
    };
  }

  /** One instance: its context, memory and exports. */
  static final class GraalInstance implements Instance {
    private final Context context;
    private final Signatures signatures;
    private final Map<String, CoreFunction> exports = new HashMap<>();
    private GraalMemory memory;

    GraalInstance(Context context, Signatures signatures) {
      this.context = context;
      this.signatures = signatures;
    }

    void bind(Value exportsValue) {
      Value mem = exportsValue.getMember("memory");
      if (mem == null || !mem.hasBufferElements()) {
        throw new OwlyException("wasm.no-memory");
      }
      this.memory = new GraalMemory(mem);
      for (String name : signatures.exportNames()) {
        Value fn = exportsValue.getMember(name);
        if (fn != null && fn.canExecute()) {
          exports.put(name, function(fn, signatures.exportParams(name), signatures.results(name)));
        }
      }
    }

    @Override
    public LinearMemory memory() {
      return memory;
    }

    @Override
    public CoreFunction export(String name) {
      return exports.get(name);
    }

    @Override
    public void interrupt(Thread caller) {
      // Cancelling waits for the guest to stop; the watchdog must not (CallGuard holds its lock).
      Thread t = new Thread(() -> context.close(true), "owly-graalwasm-cancel");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() {
      context.close(true);
    }

    private static CoreFunction function(Value fn, FlatType[] params, FlatType[] results) {
      return args -> {
        Object[] a = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
          a[i] = params[i] == FlatType.I32 ? (Object) (int) args[i] : (Object) args[i];
        }
        Value r;
        try {
          r = fn.execute(a);
        } catch (PolyglotException e) {
          throw translate(e);
        }
        if (results.length == 0) {
          return null;
        }
        if (results.length == 1) {
          return new long[] {results[0] == FlatType.I32 ? r.asInt() : r.asLong()};
        }
        long[] out = new long[results.length];
        for (int i = 0; i < out.length; i++) {
          Value v = r.getArrayElement(i);
          out[i] = results[i] == FlatType.I32 ? v.asInt() : v.asLong();
        }
        return out;
      };
    }

    /**
     * A host function's exception comes back as it was thrown (an ABI violation, a timeout raised
     * when a capability returned); everything else is the guest's own failure.
     */
    private static RuntimeException translate(PolyglotException e) {
      if (e.isHostException()) {
        Throwable h = e.asHostException();
        if (h instanceof RuntimeException r) {
          return r;
        }
        if (h instanceof Error err) {
          throw err;
        }
        return new GuestTrap("trap", h);
      }
      if (e.isCancelled() || e.isInterrupted()) {
        return new GuestTrap("interrupted", e);
      }
      if (e.isResourceExhausted()) {
        return new GuestTrap("stack-overflow", e);
      }
      return new GuestTrap("trap", e);
    }
  }
}
