package dev.owly.analytics.runtime;

import static dev.owly.analytics.abi.WitTypes.*;

import dev.owly.analytics.OwlyException;
import dev.owly.analytics.abi.AbiException;
import dev.owly.analytics.abi.CanonicalAbi;
import dev.owly.analytics.abi.Case;
import dev.owly.analytics.abi.FuncType;
import dev.owly.analytics.abi.GuestMemory;
import dev.owly.analytics.abi.SpiCodec;
import dev.owly.analytics.abi.WitTypes;
import dev.owly.analytics.spi.Capabilities;
import dev.owly.analytics.spi.Request;
import dev.owly.analytics.spi.StorageException;
import dev.owly.analytics.spi.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The WIT imports as host functions of any {@link WasmRuntime}, each delegating to a capability of
 * {@link Capabilities}. Capability exceptions become the WIT error cases ({@code storage-error},
 * {@code transport-error}) and never unwind through the guest; any other exception of storage or
 * transport becomes {@code other("host.exception")}, and a result that does not fit its WIT type (a
 * lone surrogate, an integer out of range) becomes {@code other("host.encoding")} or {@code
 * other("host.<code>")} before anything is written into the guest. Clock, entropy and settings have
 * no error case in the WIT: their failure aborts the guest call (the instance is discarded). Log
 * failures are ignored.
 */
final class HostImports {
  /** Longest message passed to the guest inside an error case. */
  private static final int MAX_ERROR_CODE = 200;

  private HostImports() {}

  /** The context a host function needs from the instance it is linked into. */
  interface Context {
    GuestMemory memory();

    CallGuard guard();
  }

  static Map<String, CanonicalAbi.HostImpl> impls(Capabilities caps) {
    return Map.ofEntries(
        Map.entry(
            key(STORAGE_APPEND),
            storageImpl(p -> storage(() -> caps.storage().append(SpiCodec.newRow(p[0]))))),
        Map.entry(
            key(STORAGE_CLAIM),
            storageImpl(
                p ->
                    storage(
                        () ->
                            SpiCodec.rows(
                                caps.storage().claim((Integer) p[0], (Long) p[1], (Long) p[2]))))),
        Map.entry(
            key(STORAGE_PEEK),
            storageImpl(p -> storage(() -> SpiCodec.rows(caps.storage().peek((Integer) p[0]))))),
        Map.entry(
            key(STORAGE_SEAL),
            storageImpl(p -> storage(() -> caps.storage().seal(SpiCodec.newBatch(p[0]))))),
        Map.entry(
            key(STORAGE_DUE),
            storageImpl(
                p ->
                    storage(
                        () ->
                            SpiCodec.batches(
                                caps.storage().due((Integer) p[0], (Long) p[1], (Long) p[2]))))),
        Map.entry(
            key(STORAGE_SETTLE),
            storageImpl(
                p ->
                    storage(
                        () -> {
                          caps.storage()
                              .settle((Long) p[0], (Long) p[1], SpiCodec.settlement(p[2]));
                          return null;
                        }))),
        Map.entry(
            key(STORAGE_QUARANTINE),
            storageImpl(
                p ->
                    storage(
                        () -> {
                          caps.storage().quarantine((long[]) p[0], (String) p[1]);
                          return null;
                        }))),
        Map.entry(
            key(STORAGE_PURGE), storageImpl(p -> storage(() -> caps.storage().purge((Long) p[0])))),
        Map.entry(key(TRANSPORT_READY), transportImpl(p -> ready(caps))),
        Map.entry(key(TRANSPORT_SEND), transportImpl(p -> send(caps, SpiCodec.request(p[0])))),
        Map.entry(key(CLOCK_NOW_MS), p -> caps.clock().nowMs()),
        Map.entry(key(ENTROPY_RANDOM_BYTES), p -> randomBytes(caps, (Integer) p[0])),
        Map.entry(key(SETTINGS_GET), p -> SpiCodec.config(caps.settings().get())),
        Map.entry(key(SETTINGS_MODE), p -> SpiCodec.mode(caps.settings().mode())),
        Map.entry(key(SETTINGS_SECRET), p -> caps.settings().secret().clone()),
        Map.entry(
            key(LOG_EMIT),
            p -> {
              try {
                caps.log().emit(SpiCodec.level(p[0]), (String) p[1], SpiCodec.counters(p[2]));
              } catch (RuntimeException ignored) {
                // A failing log must never change what the core does.
              }
              return null;
            }));
  }

  static String key(FuncType f) {
    return WitTypes.importModule(f) + "#" + f.name;
  }

  /** Host functions for the imports the module declares (all must be known). */
  static List<WasmRuntime.HostFunction> functions(
      Map<String, CanonicalAbi.HostImpl> impls, List<String[]> wanted, Supplier<Context> ctx) {
    List<WasmRuntime.HostFunction> out = new ArrayList<>();
    for (String[] moduleAndName : wanted) {
      FuncType ft = find(moduleAndName[0], moduleAndName[1]);
      CanonicalAbi.HostImpl impl = impls.get(key(ft));
      out.add(
          new WasmRuntime.HostFunction(
              moduleAndName[0],
              moduleAndName[1],
              ft.importCoreParams(),
              ft.importCoreResults(),
              args -> {
                Context c = ctx.get();
                if (c == null || c.guard() == null) {
                  // A start function or a stray call outside any export: there is no call to
                  // account it to, so it traps.
                  throw new AbiException("abi.no-call", ft.toString(), null);
                }
                return CanonicalAbi.callImport(c.memory(), ft, guarded(impl, c.guard()), args);
              }));
    }
    return out;
  }

  /** The capability runs as host time: the watchdog never interrupts it (see {@link CallGuard}). */
  private static CanonicalAbi.HostImpl guarded(CanonicalAbi.HostImpl impl, CallGuard guard) {
    return new CanonicalAbi.HostImpl() {
      @Override
      public Object call(Object[] params) {
        guard.enterHost();
        try {
          return impl.call(params);
        } finally {
          guard.leaveHost();
        }
      }

      @Override
      public Object unencodable(AbiException e) {
        return impl.unencodable(e);
      }
    };
  }

  private static FuncType find(String module, String name) {
    for (FuncType f : IMPORTS) {
      if (WitTypes.importModule(f).equals(module) && f.name.equals(name)) {
        return f;
      }
    }
    throw new OwlyException("wasm.unknown-import: " + module + "#" + name);
  }

  /** A storage import whose unencodable result becomes {@code storage-error.other}. */
  private static CanonicalAbi.HostImpl storageImpl(CanonicalAbi.HostImpl impl) {
    return withErrorCase(impl, code -> Case.err(new Case(2, code)));
  }

  /** A transport import whose unencodable result becomes {@code transport-error.other}. */
  private static CanonicalAbi.HostImpl transportImpl(CanonicalAbi.HostImpl impl) {
    return withErrorCase(impl, code -> Case.err(new Case(3, code)));
  }

  private static CanonicalAbi.HostImpl withErrorCase(
      CanonicalAbi.HostImpl impl, Function<String, Object> errorCase) {
    return new CanonicalAbi.HostImpl() {
      @Override
      public Object call(Object[] params) {
        return impl.call(params);
      }

      @Override
      public Object unencodable(AbiException e) {
        return errorCase.apply(hostCode(e));
      }
    };
  }

  /**
   * The code the guest sees for a host value that does not fit: {@code host.encoding} for a lone
   * surrogate (the name the Core facade uses for the same failure of an argument), otherwise the
   * ABI code under {@code host.}, e.g. {@code host.out-of-range}.
   */
  static String hostCode(AbiException e) {
    String code = e.code();
    if ("abi.invalid-utf16".equals(code)) {
      return "host.encoding";
    }
    return "host." + (code.startsWith("abi.") ? code.substring(4) : code);
  }

  private interface StorageCall {
    Object run();
  }

  private static Case storage(StorageCall call) {
    try {
      return Case.ok(call.run());
    } catch (StorageException e) {
      return Case.err(
          switch (e.kind()) {
            case UNAVAILABLE -> new Case(0, code(e.getMessage(), "unavailable"));
            case LOST_CLAIM -> new Case(1, null);
            case OTHER -> new Case(2, code(e.getMessage(), "other"));
          });
    } catch (RuntimeException e) {
      return Case.err(new Case(2, "host.exception"));
    }
  }

  private static Case ready(Capabilities caps) {
    try {
      caps.transport().ready();
      return Case.ok(null);
    } catch (TransportException e) {
      return Case.err(transportError(e));
    } catch (RuntimeException e) {
      return Case.err(new Case(3, "host.exception"));
    }
  }

  private static Case send(Capabilities caps, Request request) {
    try {
      return Case.ok(SpiCodec.response(caps.transport().send(request)));
    } catch (TransportException e) {
      return Case.err(transportError(e));
    } catch (RuntimeException e) {
      return Case.err(new Case(3, "host.exception"));
    }
  }

  private static Case transportError(TransportException e) {
    return switch (e.kind()) {
      case NOT_CONFIGURED -> new Case(0, null);
      case TIMEOUT -> new Case(1, null);
      case CONNECT -> new Case(2, code(e.getMessage(), "connect"));
      case OTHER -> new Case(3, code(e.getMessage(), "other"));
      case STOPPED -> new Case(4, null);
    };
  }

  private static byte[] randomBytes(Capabilities caps, int len) {
    if (len < 0 || len > 256) {
      throw new GuestCallException("entropy.bad-length");
    }
    byte[] out = caps.entropy().randomBytes(len);
    if (out == null || out.length != len) {
      throw new GuestCallException("entropy.short");
    }
    return out;
  }

  /**
   * Capability messages are codes by contract; cap the length anyway, never between the two halves
   * of a surrogate pair (that would turn valid text into text the ABI cannot encode).
   */
  static String code(String message, String fallback) {
    if (message == null || message.isEmpty()) {
      return fallback;
    }
    if (message.length() <= MAX_ERROR_CODE) {
      return message;
    }
    int end = MAX_ERROR_CODE;
    if (Character.isHighSurrogate(message.charAt(end - 1))
        && Character.isLowSurrogate(message.charAt(end))) {
      end--;
    }
    return message.substring(0, end);
  }
}
