package dev.owly.analytics.abi;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.Text;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import run.endive.runtime.ExportFunction;
import run.endive.runtime.Memory;

/**
 * The Canonical ABI (component-model design/mvp/CanonicalABI.md) for the value types the world
 * uses, driven by {@link WitType} descriptors: {@code load}/{@code store} for values in linear
 * memory, {@code lift_flat}/{@code lower_flat} for core values, and the call conventions of exports
 * (host calls guest) and imports (guest calls host). Every pointer and length that comes from the
 * guest is bounds-checked; strings are strict UTF-8 in both directions.
 */
public final class CanonicalAbi {
  /** Longest string the ABI allows, in bytes. */
  public static final int MAX_STRING_BYTES = Integer.MAX_VALUE;

  private CanonicalAbi() {}

  // ---------------------------------------------------------------- calls

  /**
   * Calls a guest export: lowers {@code args}, calls, lifts the result (copying everything out of
   * guest memory) and only then calls {@code postReturn} (may be null) with the raw results.
   */
  public static Object callExport(
      GuestMemory mem,
      ExportFunction fn,
      ExportFunction postReturn,
      FuncType type,
      Object... args) {
    requireNonNull(fn, "fn");
    if (args.length != type.params.size()) {
      throw new IllegalArgumentException("expected " + type.params.size() + " arguments");
    }
    long[] core;
    if (type.paramsInMemory) {
      int ptr = mem.allocate(type.paramTuple.align, type.paramTuple.size);
      store(mem, args, type.paramTuple, ptr);
      core = new long[] {ptr};
    } else {
      FlatWriter w = new FlatWriter(type.paramTuple.flatCount());
      for (int i = 0; i < args.length; i++) {
        lowerFlat(mem, args[i], type.params.get(i), w);
      }
      core = w.values;
    }
    long[] raw = fn.apply(core);
    Object out = null;
    if (type.result != null) {
      if (raw == null || raw.length < 1) {
        throw new AbiException("abi.missing-result");
      }
      if (type.resultInMemory) {
        long ptr = Integer.toUnsignedLong((int) raw[0]);
        GuestMemory.checkAligned(ptr, type.result.align);
        mem.check(ptr, type.result.size);
        out = load(mem, (int) ptr, type.result);
      } else {
        out = liftFlat(mem, new FlatReader(raw, 0), type.result);
      }
    }
    if (postReturn != null) {
      postReturn.apply(raw == null ? new long[0] : raw);
    }
    return out;
  }

  /** The Java side of a host function for an import. */
  @FunctionalInterface
  public interface HostImpl {
    /** Receives the lifted parameters; returns the result value (null without result). */
    Object call(Object[] params);
  }

  /**
   * Handles one call of an import by the guest: lifts the core arguments, calls {@code impl},
   * lowers its result (through the guest's return pointer when it does not fit one core value).
   */
  public static long[] callImport(GuestMemory mem, FuncType type, HostImpl impl, long[] args) {
    Object[] params;
    if (type.paramsInMemory) {
      long ptr = Integer.toUnsignedLong((int) args[0]);
      GuestMemory.checkAligned(ptr, type.paramTuple.align);
      mem.check(ptr, type.paramTuple.size);
      params = (Object[]) load(mem, (int) ptr, type.paramTuple);
    } else {
      FlatReader r = new FlatReader(args, 0);
      params = new Object[type.params.size()];
      for (int i = 0; i < params.length; i++) {
        params[i] = liftFlat(mem, r, type.params.get(i));
      }
    }
    long retPtr = 0;
    if (type.resultInMemory) {
      // Check the return area before running the host side, so a hostile pointer has no effect.
      retPtr = Integer.toUnsignedLong((int) args[args.length - 1]);
      GuestMemory.checkAligned(retPtr, type.result.align);
      mem.check(retPtr, type.result.size);
    }
    Object result = impl.call(params);
    if (type.result == null) {
      return null;
    }
    if (type.resultInMemory) {
      store(mem, result, type.result, (int) retPtr);
      return null;
    }
    FlatWriter w = new FlatWriter(type.result.flatCount());
    lowerFlat(mem, result, type.result, w);
    return w.values;
  }

  // ---------------------------------------------------------------- flat values

  /** A cursor over core values. */
  static final class FlatReader {
    final long[] values;
    int pos;

    FlatReader(long[] values, int pos) {
      this.values = values;
      this.pos = pos;
    }

    long next() {
      if (pos >= values.length) {
        throw new AbiException("abi.missing-core-value");
      }
      return values[pos++];
    }
  }

  /** Collects core values. */
  static final class FlatWriter {
    final long[] values;
    int pos;

    FlatWriter(int n) {
      this.values = new long[n];
    }

    void add(long v) {
      values[pos++] = v;
    }
  }

  /** {@code lift_flat}: a value from core values (the caller's cursor advances). */
  public static Object liftFlat(GuestMemory mem, long[] values, WitType t) {
    return liftFlat(mem, new FlatReader(values, 0), t);
  }

  static Object liftFlat(GuestMemory mem, FlatReader r, WitType t) {
    if (t instanceof WitType.Prim p) {
      long v = r.next();
      return switch (p.kind) {
        case BOOL -> (int) v != 0;
        case U8 -> (int) v & 0xFF;
        case U16 -> (int) v & 0xFFFF;
        case U32, S32 -> (int) v;
        case U64, S64 -> v;
      };
    }
    if (t instanceof WitType.Str) {
      long ptr = Integer.toUnsignedLong((int) r.next());
      long len = Integer.toUnsignedLong((int) r.next());
      return loadString(mem, ptr, len);
    }
    if (t instanceof WitType.ListOf l) {
      long ptr = Integer.toUnsignedLong((int) r.next());
      long len = Integer.toUnsignedLong((int) r.next());
      return loadList(mem, ptr, len, l.element);
    }
    if (t instanceof WitType.Rec rec) {
      Object[] out = new Object[rec.fields.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = liftFlat(mem, r, rec.fields.get(i));
      }
      return out;
    }
    WitType.Variant v = (WitType.Variant) t;
    long disc = Integer.toUnsignedLong((int) r.next());
    if (disc >= v.caseNames.size()) {
      throw new AbiException("abi.bad-discriminant");
    }
    int payloadStart = r.pos;
    WitType ct = v.caseTypes.get((int) disc);
    // A payload in a wider joined slot (i32 in i64) is read back by wrapping: the (int) casts in
    // the primitive lifting above do exactly that.
    Object payload = ct == null ? null : liftFlat(mem, r, ct);
    r.pos = payloadStart + v.flatCount() - 1;
    return new Case((int) disc, payload);
  }

  /** {@code lower_flat}: a value into core values. */
  public static long[] lowerFlat(GuestMemory mem, Object value, WitType t) {
    FlatWriter w = new FlatWriter(t.flatCount());
    lowerFlat(mem, value, t, w);
    return w.values;
  }

  static void lowerFlat(GuestMemory mem, Object value, WitType t, FlatWriter w) {
    if (t instanceof WitType.Prim p) {
      w.add(primBits(p, value));
      return;
    }
    if (t instanceof WitType.Str) {
      long[] pl = storeString(mem, (String) value);
      w.add(pl[0]);
      w.add(pl[1]);
      return;
    }
    if (t instanceof WitType.ListOf l) {
      long[] pl = storeList(mem, value, l.element);
      w.add(pl[0]);
      w.add(pl[1]);
      return;
    }
    if (t instanceof WitType.Rec rec) {
      Object[] fields = (Object[]) value;
      for (int i = 0; i < rec.fields.size(); i++) {
        lowerFlat(mem, fields[i], rec.fields.get(i), w);
      }
      return;
    }
    WitType.Variant v = (WitType.Variant) t;
    Case c = checkCase(v, value);
    w.add(c.index());
    int start = w.pos;
    WitType ct = v.caseTypes.get(c.index());
    if (ct != null) {
      lowerFlat(mem, c.payload(), ct, w);
      for (int i = 0; i < ct.flatCount(); i++) {
        if (v.flatAt(1 + i) == FlatType.I64 && ct.flatAt(i) == FlatType.I32) {
          w.values[start + i] = Integer.toUnsignedLong((int) w.values[start + i]);
        }
      }
    }
    // The remaining joined slots are zero: the writer's array starts zeroed.
    w.pos = start + v.flatCount() - 1;
  }

  private static long primBits(WitType.Prim p, Object value) {
    return switch (p.kind) {
      case BOOL -> ((Boolean) value) ? 1 : 0;
      case U8 -> ((Number) value).intValue() & 0xFF;
      case U16 -> ((Number) value).intValue() & 0xFFFF;
      case U32, S32 -> ((Number) value).intValue();
      case U64, S64 -> ((Number) value).longValue();
    };
  }

  private static Case checkCase(WitType.Variant v, Object value) {
    Case c = (Case) requireNonNull(value, "variant value");
    if (c.index() < 0 || c.index() >= v.caseNames.size()) {
      throw new AbiException("abi.bad-discriminant");
    }
    return c;
  }

  // ---------------------------------------------------------------- memory

  /** {@code load}: a value from linear memory at {@code ptr}. */
  public static Object load(GuestMemory mem, int ptr, WitType t) {
    long p = Integer.toUnsignedLong(ptr);
    mem.check(p, t.size);
    Memory m = mem.memory();
    if (t instanceof WitType.Prim prim) {
      return switch (prim.kind) {
        case BOOL -> m.read(ptr) != 0;
        case U8 -> m.read(ptr) & 0xFF;
        case U16 -> m.readShort(ptr) & 0xFFFF;
        case U32, S32 -> m.readInt(ptr);
        case U64, S64 -> m.readLong(ptr);
      };
    }
    if (t instanceof WitType.Str) {
      return loadString(
          mem, Integer.toUnsignedLong(m.readInt(ptr)), Integer.toUnsignedLong(m.readInt(ptr + 4)));
    }
    if (t instanceof WitType.ListOf l) {
      return loadList(
          mem,
          Integer.toUnsignedLong(m.readInt(ptr)),
          Integer.toUnsignedLong(m.readInt(ptr + 4)),
          l.element);
    }
    if (t instanceof WitType.Rec rec) {
      Object[] out = new Object[rec.fields.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = load(mem, ptr + rec.offsets[i], rec.fields.get(i));
      }
      return out;
    }
    WitType.Variant v = (WitType.Variant) t;
    long disc =
        switch (v.discriminantSize) {
          case 1 -> m.read(ptr) & 0xFF;
          case 2 -> m.readShort(ptr) & 0xFFFF;
          default -> Integer.toUnsignedLong(m.readInt(ptr));
        };
    if (disc >= v.caseNames.size()) {
      throw new AbiException("abi.bad-discriminant");
    }
    WitType ct = v.caseTypes.get((int) disc);
    return new Case((int) disc, ct == null ? null : load(mem, ptr + v.payloadOffset, ct));
  }

  /** {@code store}: a value into linear memory at {@code ptr}. */
  public static void store(GuestMemory mem, Object value, WitType t, int ptr) {
    mem.check(Integer.toUnsignedLong(ptr), t.size);
    Memory m = mem.memory();
    if (t instanceof WitType.Prim prim) {
      long bits = primBits(prim, value);
      switch (prim.kind.bytes) {
        case 1 -> m.writeByte(ptr, (byte) bits);
        case 2 -> m.writeShort(ptr, (short) bits);
        case 4 -> m.writeI32(ptr, (int) bits);
        default -> m.writeLong(ptr, bits);
      }
      return;
    }
    if (t instanceof WitType.Str || t instanceof WitType.ListOf) {
      long[] pl =
          t instanceof WitType.Str
              ? storeString(mem, (String) value)
              : storeList(mem, value, ((WitType.ListOf) t).element);
      m.writeI32(ptr, (int) pl[0]);
      m.writeI32(ptr + 4, (int) pl[1]);
      return;
    }
    if (t instanceof WitType.Rec rec) {
      Object[] fields = (Object[]) value;
      if (fields.length != rec.fields.size()) {
        throw new IllegalArgumentException("record " + rec + " needs " + rec.fields.size());
      }
      for (int i = 0; i < fields.length; i++) {
        store(mem, fields[i], rec.fields.get(i), ptr + rec.offsets[i]);
      }
      return;
    }
    WitType.Variant v = (WitType.Variant) t;
    Case c = checkCase(v, value);
    switch (v.discriminantSize) {
      case 1 -> m.writeByte(ptr, (byte) c.index());
      case 2 -> m.writeShort(ptr, (short) c.index());
      default -> m.writeI32(ptr, c.index());
    }
    WitType ct = v.caseTypes.get(c.index());
    if (ct != null) {
      store(mem, c.payload(), ct, ptr + v.payloadOffset);
    }
  }

  // ---------------------------------------------------------------- strings and lists

  /** Strict UTF-8 decoding of guest bytes: invalid input is an error, never replaced. */
  static String loadString(GuestMemory mem, long ptr, long len) {
    mem.check(ptr, len);
    byte[] bytes = mem.memory().readBytes((int) ptr, (int) len);
    return decodeUtf8(bytes);
  }

  /** Strict UTF-8 decoding: throws {@link AbiException} {@code abi.invalid-utf8}. */
  public static String decodeUtf8(byte[] bytes) {
    boolean ascii = true;
    for (byte b : bytes) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    try {
      return Text.strictUtf8(bytes);
    } catch (CharacterCodingException e) {
      throw new AbiException("abi.invalid-utf8");
    }
  }

  /**
   * Strict UTF-8 encoding: a lone surrogate cannot be encoded and throws {@link AbiException}
   * {@code abi.invalid-utf16}, before any guest memory is touched.
   */
  public static byte[] encodeUtf8(String s) {
    int n = s.length();
    boolean ascii = true;
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }
    try {
      ByteBuffer bb =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(s));
      byte[] out = new byte[bb.remaining()];
      bb.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new AbiException("abi.invalid-utf16");
    }
  }

  private static long[] storeString(GuestMemory mem, String s) {
    byte[] bytes = encodeUtf8(requireNonNull(s, "string"));
    int ptr = mem.allocate(1, bytes.length);
    mem.memory().write(ptr, bytes);
    return new long[] {ptr, bytes.length};
  }

  private static Object loadList(GuestMemory mem, long ptr, long len, WitType elem) {
    GuestMemory.checkAligned(ptr, elem.align);
    mem.check(ptr, len * elem.size);
    Memory m = mem.memory();
    int p = (int) ptr;
    int n = (int) len;
    if (elem == WitType.U8) {
      return m.readBytes(p, n);
    }
    if (elem == WitType.U64) {
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        out[i] = m.readLong(p + 8 * i);
      }
      return out;
    }
    List<Object> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(load(mem, p + i * elem.size, elem));
    }
    return out;
  }

  private static long[] storeList(GuestMemory mem, Object value, WitType elem) {
    requireNonNull(value, "list");
    if (elem == WitType.U8) {
      byte[] bytes = (byte[]) value;
      int ptr = mem.allocate(1, bytes.length);
      mem.memory().write(ptr, bytes);
      return new long[] {ptr, bytes.length};
    }
    if (elem == WitType.U64) {
      long[] longs = (long[]) value;
      int ptr = mem.allocate(8, Math.multiplyExact(longs.length, 8));
      for (int i = 0; i < longs.length; i++) {
        mem.memory().writeLong(ptr + 8 * i, longs[i]);
      }
      return new long[] {ptr, longs.length};
    }
    List<?> items = (List<?>) value;
    int ptr = mem.allocate(elem.align, Math.multiplyExact(items.size(), elem.size));
    for (int i = 0; i < items.size(); i++) {
      store(mem, items.get(i), elem, ptr + i * elem.size);
    }
    return new long[] {ptr, items.size()};
  }
}
