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

/**
 * The Canonical ABI (component-model design/mvp/CanonicalABI.md) for the value types the world
 * uses, driven by {@link WitType} descriptors: {@code load}/{@code store} for values in linear
 * memory, {@code lift_flat}/{@code lower_flat} for core values, and the call conventions of exports
 * (host calls guest) and imports (guest calls host).
 *
 * <p>Lowering has two phases. {@link #encode} checks a host value against its type and turns every
 * string into UTF-8 without touching guest memory; only an encoded value is written. So a host
 * value that does not fit (a lone surrogate, an integer out of range, a null) fails before the
 * guest has seen anything, and the write phase can fail only through the guest itself (its {@code
 * cabi_realloc} trapping or returning a bad pointer).
 *
 * <p>Lifting checks every pointer and length from the guest, applies the spec's length caps, and
 * charges each copied byte to a budget of the guest's memory size, so aliased lists (many elements
 * pointing at the same bytes) cannot make the host allocate more than the guest owns.
 */
public final class CanonicalAbi {
  /** The spec's {@code MAX_STRING_BYTE_LENGTH}: longest string in either direction, in bytes. */
  public static final int MAX_STRING_BYTES = (1 << 28) - 1;

  /** The spec's {@code MAX_LIST_BYTE_LENGTH}: longest list (length × element size), in bytes. */
  public static final int MAX_LIST_BYTES = (1 << 28) - 1;

  private CanonicalAbi() {}

  // ---------------------------------------------------------------- calls

  /** Arguments of an export, checked and encoded: writing them can fail only through the guest. */
  public static final class EncodedArgs {
    final FuncType type;
    final Object[] values;

    private EncodedArgs(FuncType type, Object[] values) {
      this.type = type;
      this.values = values;
    }
  }

  /** Checks and encodes export arguments; throws {@link AbiException} and touches no guest. */
  public static EncodedArgs encodeArgs(FuncType type, Object... args) {
    if (args.length != type.params.size()) {
      throw new IllegalArgumentException("expected " + type.params.size() + " arguments");
    }
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = encode(args[i], type.params.get(i));
    }
    return new EncodedArgs(type, out);
  }

  /**
   * {@link #encodeArgs} then {@link #callExport(GuestMemory, CoreFunction, CoreFunction,
   * EncodedArgs)}.
   */
  public static Object callExport(
      GuestMemory mem, CoreFunction fn, CoreFunction postReturn, FuncType type, Object... args) {
    return callExport(mem, fn, postReturn, encodeArgs(type, args));
  }

  /**
   * Calls a guest export: writes the arguments, calls, lifts the result (copying everything out of
   * guest memory) and only then calls {@code postReturn} (may be null) with the raw results.
   */
  public static Object callExport(
      GuestMemory mem, CoreFunction fn, CoreFunction postReturn, EncodedArgs args) {
    requireNonNull(fn, "fn");
    FuncType type = args.type;
    long[] core;
    if (type.paramsInMemory) {
      int ptr = mem.allocate(type.paramTuple.align, type.paramTuple.size);
      write(mem, args.values, type.paramTuple, ptr);
      core = new long[] {ptr};
    } else {
      FlatWriter w = new FlatWriter(type.paramTuple.flatCount());
      for (int i = 0; i < args.values.length; i++) {
        writeFlat(mem, args.values[i], type.params.get(i), w);
      }
      core = w.values;
    }
    long[] raw = fn.call(core);
    Object out = null;
    if (type.result != null) {
      if (raw == null || raw.length < 1) {
        throw new AbiException("abi.missing-result");
      }
      Budget budget = new Budget(mem);
      if (type.resultInMemory) {
        long ptr = Integer.toUnsignedLong((int) raw[0]);
        GuestMemory.checkAligned(ptr, type.result.align);
        mem.check(ptr, type.result.size);
        out = load(mem, (int) ptr, type.result, budget);
      } else {
        out = liftFlat(mem, new FlatReader(raw, 0), type.result, budget);
      }
    }
    if (postReturn != null) {
      mem.callWithoutLeave(postReturn, raw == null ? new long[0] : raw);
    }
    return out;
  }

  /** The Java side of a host function for an import. */
  @FunctionalInterface
  public interface HostImpl {
    /** Receives the lifted parameters; returns the result value (null without result). */
    Object call(Object[] params);

    /**
     * The value to return instead of a result that does not fit its WIT type: the WIT error case,
     * where the result type has one. The default has none: the guest call fails.
     */
    default Object unencodable(AbiException e) {
      throw e;
    }
  }

  /**
   * Handles one call of an import by the guest: lifts the core arguments, calls {@code impl},
   * encodes its whole result and only then writes it (through the guest's return pointer when it
   * does not fit one core value). A result that cannot be encoded becomes {@link
   * HostImpl#unencodable}, or else {@code abi.unencodable-result}: either way nothing half-written
   * reaches the guest.
   */
  public static long[] callImport(GuestMemory mem, FuncType type, HostImpl impl, long[] args) {
    if (!mem.mayLeave()) {
      // Spec canon_lower: trap_if(not may_leave) — the guest is inside cabi_realloc or cabi_post_*.
      throw new AbiException("abi.may-not-leave", type.toString(), null);
    }
    Budget budget = new Budget(mem);
    Object[] params;
    if (type.paramsInMemory) {
      long ptr = Integer.toUnsignedLong((int) args[0]);
      GuestMemory.checkAligned(ptr, type.paramTuple.align);
      mem.check(ptr, type.paramTuple.size);
      params = (Object[]) load(mem, (int) ptr, type.paramTuple, budget);
    } else {
      FlatReader r = new FlatReader(args, 0);
      params = new Object[type.params.size()];
      for (int i = 0; i < params.length; i++) {
        params[i] = liftFlat(mem, r, type.params.get(i), budget);
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
    Object encoded;
    try {
      encoded = encode(result, type.result);
    } catch (AbiException e) {
      Object fallback;
      try {
        fallback = impl.unencodable(e);
      } catch (AbiException none) {
        throw new AbiException("abi.unencodable-result", type + ": " + e.code(), e);
      }
      encoded = encode(fallback, type.result);
    }
    if (type.resultInMemory) {
      write(mem, encoded, type.result, (int) retPtr);
      return null;
    }
    FlatWriter w = new FlatWriter(type.result.flatCount());
    writeFlat(mem, encoded, type.result, w);
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

  /**
   * The bytes one lift may copy out of the guest: its memory size. A value whose parts do not
   * overlap always fits (its strings and list arrays are disjoint regions of that memory); only a
   * value that points at the same bytes many times runs out, and it does before the host allocates.
   */
  static final class Budget {
    private long remaining;

    Budget(GuestMemory mem) {
      this.remaining = mem.byteSize();
    }

    void charge(long bytes) {
      if (bytes > remaining) {
        throw new AbiException("abi.lift-budget");
      }
      remaining -= bytes;
    }
  }

  /** {@code lift_flat}: a value from core values. */
  public static Object liftFlat(GuestMemory mem, long[] values, WitType t) {
    return liftFlat(mem, new FlatReader(values, 0), t, new Budget(mem));
  }

  static Object liftFlat(GuestMemory mem, FlatReader r, WitType t, Budget budget) {
    if (t instanceof WitType.Prim p) {
      long v = r.next();
      // Spec lift_flat_unsigned/signed: the guest's bits beyond the type's width are dropped.
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
      return loadString(mem, ptr, len, budget);
    }
    if (t instanceof WitType.ListOf l) {
      long ptr = Integer.toUnsignedLong((int) r.next());
      long len = Integer.toUnsignedLong((int) r.next());
      return loadList(mem, ptr, len, l.element, budget);
    }
    if (t instanceof WitType.Rec rec) {
      Object[] out = new Object[rec.fields.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = liftFlat(mem, r, rec.fields.get(i), budget);
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
    Object payload = ct == null ? null : liftFlat(mem, r, ct, budget);
    r.pos = payloadStart + v.flatCount() - 1;
    return new Case((int) disc, payload);
  }

  /** {@code lower_flat}: a host value into core values ({@link #encode} first). */
  public static long[] lowerFlat(GuestMemory mem, Object value, WitType t) {
    Object encoded = encode(value, t);
    FlatWriter w = new FlatWriter(t.flatCount());
    writeFlat(mem, encoded, t, w);
    return w.values;
  }

  private static void writeFlat(GuestMemory mem, Object enc, WitType t, FlatWriter w) {
    if (t instanceof WitType.Prim p) {
      w.add(primBits(p, enc));
      return;
    }
    if (t instanceof WitType.Str) {
      long[] pl = writeString(mem, (byte[]) enc);
      w.add(pl[0]);
      w.add(pl[1]);
      return;
    }
    if (t instanceof WitType.ListOf l) {
      long[] pl = writeList(mem, enc, l.element);
      w.add(pl[0]);
      w.add(pl[1]);
      return;
    }
    if (t instanceof WitType.Rec rec) {
      Object[] fields = (Object[]) enc;
      for (int i = 0; i < fields.length; i++) {
        writeFlat(mem, fields[i], rec.fields.get(i), w);
      }
      return;
    }
    WitType.Variant v = (WitType.Variant) t;
    Case c = (Case) enc;
    w.add(c.index());
    int start = w.pos;
    WitType ct = v.caseTypes.get(c.index());
    if (ct != null) {
      writeFlat(mem, c.payload(), ct, w);
      for (int i = 0; i < ct.flatCount(); i++) {
        if (v.flatAt(1 + i) == FlatType.I64 && ct.flatAt(i) == FlatType.I32) {
          w.values[start + i] = Integer.toUnsignedLong((int) w.values[start + i]);
        }
      }
    }
    // The remaining joined slots are zero: the writer's array starts zeroed.
    w.pos = start + v.flatCount() - 1;
  }

  /** The core bits of an encoded (range-checked) primitive. */
  private static long primBits(WitType.Prim p, Object value) {
    return switch (p.kind) {
      case BOOL -> ((Boolean) value) ? 1 : 0;
      case U8, U16 -> ((Number) value).longValue();
      case U32, S32 -> ((Number) value).intValue();
      case U64, S64 -> ((Number) value).longValue();
    };
  }

  // ---------------------------------------------------------------- encoding (host values)

  /**
   * Checks a host value against {@code t} and returns it with every string as strict UTF-8 bytes.
   * Pure: no guest memory is touched, so a failure here changes nothing in the guest. Codes: {@code
   * abi.invalid-utf16} (a lone surrogate), {@code abi.out-of-range} (an integer that does not fit),
   * {@code abi.string-too-long} / {@code abi.list-too-long} (the spec's caps), {@code
   * abi.bad-discriminant}, {@code abi.bad-value} (null, or a Java type the WIT type does not take).
   *
   * <p>Integer carriers: u8/u16/s32 any integral box whose value fits; u32 an {@code Integer} read
   * as its unsigned bit pattern (as lifting returns it) or a {@code Long} in [0, 2³²); u64/s64 a
   * {@code Long} (u64 as its unsigned bit pattern) or a smaller box (s64; u64 if not negative).
   */
  public static Object encode(Object value, WitType t) {
    if (value == null) {
      throw new AbiException("abi.bad-value", t + ": null", null);
    }
    if (t instanceof WitType.Prim p) {
      checkPrim(p, value);
      return value;
    }
    if (t instanceof WitType.Str) {
      if (!(value instanceof String s)) {
        throw badValue(t, value);
      }
      // A UTF-8 encoding is never shorter than the UTF-16 one in code units: refuse early.
      if (s.length() > MAX_STRING_BYTES) {
        throw new AbiException("abi.string-too-long");
      }
      byte[] bytes = encodeUtf8(s);
      if (bytes.length > MAX_STRING_BYTES) {
        throw new AbiException("abi.string-too-long");
      }
      return bytes;
    }
    if (t instanceof WitType.ListOf l) {
      return encodeList(value, l);
    }
    if (t instanceof WitType.Rec rec) {
      if (!(value instanceof Object[] fields) || fields.length != rec.fields.size()) {
        throw badValue(t, value);
      }
      Object[] out = new Object[fields.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = encode(fields[i], rec.fields.get(i));
      }
      return out;
    }
    WitType.Variant v = (WitType.Variant) t;
    if (!(value instanceof Case c)) {
      throw badValue(t, value);
    }
    if (c.index() < 0 || c.index() >= v.caseNames.size()) {
      throw new AbiException("abi.bad-discriminant");
    }
    WitType ct = v.caseTypes.get(c.index());
    return ct == null ? new Case(c.index(), null) : new Case(c.index(), encode(c.payload(), ct));
  }

  private static Object encodeList(Object value, WitType.ListOf l) {
    WitType elem = l.element;
    if (elem == WitType.U8) {
      if (!(value instanceof byte[] bytes)) {
        throw badValue(l, value);
      }
      checkListBytes(bytes.length, 1);
      return bytes;
    }
    if (elem == WitType.U64) {
      if (!(value instanceof long[] longs)) {
        throw badValue(l, value);
      }
      checkListBytes(longs.length, 8);
      return longs;
    }
    if (!(value instanceof List<?> items)) {
      throw badValue(l, value);
    }
    checkListBytes(items.size(), elem.size);
    Object[] out = new Object[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = encode(items.get(i), elem);
    }
    return out;
  }

  private static void checkListBytes(long length, int elemSize) {
    if (length * elemSize > MAX_LIST_BYTES) {
      throw new AbiException("abi.list-too-long");
    }
  }

  private static void checkPrim(WitType.Prim p, Object v) {
    switch (p.kind) {
      case BOOL -> {
        if (!(v instanceof Boolean)) {
          throw badValue(p, v);
        }
      }
      case U8 -> range(p, v, 0, 0xFF);
      case U16 -> range(p, v, 0, 0xFFFF);
      case U32 -> {
        if (!(v instanceof Integer)) {
          range(p, v, 0, 0xFFFF_FFFFL);
        }
      }
      case S32 -> range(p, v, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case S64 -> range(p, v, Long.MIN_VALUE, Long.MAX_VALUE);
      case U64 -> {
        if (!(v instanceof Long)) {
          range(p, v, 0, Long.MAX_VALUE);
        }
      }
    }
  }

  private static void range(WitType.Prim p, Object v, long min, long max) {
    if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
      throw badValue(p, v);
    }
    long x = ((Number) v).longValue();
    if (x < min || x > max) {
      throw new AbiException("abi.out-of-range", p.toString(), null);
    }
  }

  private static AbiException badValue(WitType t, Object v) {
    return new AbiException("abi.bad-value", t + ": " + v.getClass().getSimpleName(), null);
  }

  // ---------------------------------------------------------------- memory

  /** {@code load}: a value from linear memory at {@code ptr}. */
  public static Object load(GuestMemory mem, int ptr, WitType t) {
    return load(mem, ptr, t, new Budget(mem));
  }

  static Object load(GuestMemory mem, int ptr, WitType t, Budget budget) {
    long p = Integer.toUnsignedLong(ptr);
    mem.check(p, t.size);
    LinearMemory m = mem.memory();
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
          mem,
          Integer.toUnsignedLong(m.readInt(ptr)),
          Integer.toUnsignedLong(m.readInt(ptr + 4)),
          budget);
    }
    if (t instanceof WitType.ListOf l) {
      return loadList(
          mem,
          Integer.toUnsignedLong(m.readInt(ptr)),
          Integer.toUnsignedLong(m.readInt(ptr + 4)),
          l.element,
          budget);
    }
    if (t instanceof WitType.Rec rec) {
      Object[] out = new Object[rec.fields.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = load(mem, ptr + rec.offsets[i], rec.fields.get(i), budget);
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
    return new Case((int) disc, ct == null ? null : load(mem, ptr + v.payloadOffset, ct, budget));
  }

  /** {@code store}: a host value into linear memory at {@code ptr} ({@link #encode} first). */
  public static void store(GuestMemory mem, Object value, WitType t, int ptr) {
    write(mem, encode(value, t), t, ptr);
  }

  private static void write(GuestMemory mem, Object enc, WitType t, int ptr) {
    mem.check(Integer.toUnsignedLong(ptr), t.size);
    LinearMemory m = mem.memory();
    if (t instanceof WitType.Prim prim) {
      long bits = primBits(prim, enc);
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
              ? writeString(mem, (byte[]) enc)
              : writeList(mem, enc, ((WitType.ListOf) t).element);
      m.writeI32(ptr, (int) pl[0]);
      m.writeI32(ptr + 4, (int) pl[1]);
      return;
    }
    if (t instanceof WitType.Rec rec) {
      Object[] fields = (Object[]) enc;
      for (int i = 0; i < fields.length; i++) {
        write(mem, fields[i], rec.fields.get(i), ptr + rec.offsets[i]);
      }
      return;
    }
    WitType.Variant v = (WitType.Variant) t;
    Case c = (Case) enc;
    switch (v.discriminantSize) {
      case 1 -> m.writeByte(ptr, (byte) c.index());
      case 2 -> m.writeShort(ptr, (short) c.index());
      default -> m.writeI32(ptr, c.index());
    }
    WitType ct = v.caseTypes.get(c.index());
    if (ct != null) {
      write(mem, c.payload(), ct, ptr + v.payloadOffset);
    }
  }

  // ---------------------------------------------------------------- strings and lists

  /** Strict UTF-8 decoding of guest bytes: invalid input is an error, never replaced. */
  private static String loadString(GuestMemory mem, long ptr, long len, Budget budget) {
    if (len > MAX_STRING_BYTES) {
      throw new AbiException("abi.string-too-long");
    }
    mem.check(ptr, len);
    budget.charge(len);
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

  private static long[] writeString(GuestMemory mem, byte[] bytes) {
    int ptr = mem.allocate(1, bytes.length);
    mem.memory().write(ptr, bytes);
    return new long[] {ptr, bytes.length};
  }

  private static Object loadList(GuestMemory mem, long ptr, long len, WitType elem, Budget b) {
    // Spec load_list_from_range: the length cap, then alignment, then bounds.
    long bytes = len * elem.size;
    if (bytes > MAX_LIST_BYTES) {
      throw new AbiException("abi.list-too-long");
    }
    GuestMemory.checkAligned(ptr, elem.align);
    mem.check(ptr, bytes);
    // At least one byte per element: each one costs the host an object even if it is empty.
    b.charge(Math.max(bytes, len));
    LinearMemory m = mem.memory();
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
      out.add(load(mem, p + i * elem.size, elem, b));
    }
    return out;
  }

  private static long[] writeList(GuestMemory mem, Object enc, WitType elem) {
    if (elem == WitType.U8) {
      byte[] bytes = (byte[]) enc;
      int ptr = mem.allocate(1, bytes.length);
      mem.memory().write(ptr, bytes);
      return new long[] {ptr, bytes.length};
    }
    if (elem == WitType.U64) {
      long[] longs = (long[]) enc;
      int ptr = mem.allocate(8, longs.length * 8);
      for (int i = 0; i < longs.length; i++) {
        mem.memory().writeLong(ptr + 8 * i, longs[i]);
      }
      return new long[] {ptr, longs.length};
    }
    Object[] items = (Object[]) enc;
    int ptr = mem.allocate(elem.align, items.length * elem.size);
    for (int i = 0; i < items.length; i++) {
      write(mem, items[i], elem, ptr + i * elem.size);
    }
    return new long[] {ptr, items.length};
  }
}
