package dev.owly.analytics.abi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A WIT value type as the Canonical ABI sees it, with its size, alignment and flattening computed
 * once at construction (design/mvp/CanonicalABI.md: {@code elem_size}, {@code alignment}, {@code
 * flatten_type}). Option, result and enum are kept as themselves for readable descriptors but are
 * laid out exactly as their despecialized variants.
 *
 * <p>Java values: bool → Boolean; u8/u16/u32/s32 → Integer (u32 as its bit pattern); u64/s64 → Long
 * (u64 as its bit pattern); string → String; {@code list<u8>} → byte[]; {@code list<u64>} → long[];
 * other lists → {@code List<Object>}; record/tuple → Object[] in field order;
 * variant/option/result/enum → {@link Case}.
 */
public abstract sealed class WitType
    permits WitType.Prim, WitType.Str, WitType.ListOf, WitType.Rec, WitType.Variant {

  /** Byte size in linear memory. */
  public final int size;

  /** Byte alignment in linear memory. */
  public final int align;

  private final FlatType[] flat;

  private WitType(int size, int align, FlatType[] flat) {
    this.size = size;
    this.align = align;
    this.flat = flat;
  }

  /** The flattened core value types (a copy). */
  public FlatType[] flat() {
    return flat.clone();
  }

  int flatCount() {
    return flat.length;
  }

  FlatType flatAt(int i) {
    return flat[i];
  }

  static int alignTo(int offset, int alignment) {
    return (offset + alignment - 1) / alignment * alignment;
  }

  /** A primitive (bool and integers). */
  public static final class Prim extends WitType {
    /** The primitive kinds the world uses. */
    public enum Kind {
      BOOL(1, FlatType.I32),
      U8(1, FlatType.I32),
      U16(2, FlatType.I32),
      U32(4, FlatType.I32),
      S32(4, FlatType.I32),
      U64(8, FlatType.I64),
      S64(8, FlatType.I64);

      final int bytes;
      final FlatType flat;

      Kind(int bytes, FlatType flat) {
        this.bytes = bytes;
        this.flat = flat;
      }
    }

    public final Kind kind;

    private Prim(Kind kind) {
      super(kind.bytes, kind.bytes, new FlatType[] {kind.flat});
      this.kind = kind;
    }

    @Override
    public String toString() {
      return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A UTF-8 string: pointer and byte length. */
  public static final class Str extends WitType {
    private Str() {
      super(8, 4, new FlatType[] {FlatType.I32, FlatType.I32});
    }

    @Override
    public String toString() {
      return "string";
    }
  }

  /** {@code list<T>}: pointer and element count. */
  public static final class ListOf extends WitType {
    public final WitType element;

    private ListOf(WitType element) {
      super(8, 4, new FlatType[] {FlatType.I32, FlatType.I32});
      this.element = requireNonNull(element, "element");
    }

    @Override
    public String toString() {
      return "list<" + element + ">";
    }
  }

  /** A record or a tuple: fields laid out in order. */
  public static final class Rec extends WitType {
    public final List<String> names;
    public final List<WitType> fields;
    final int[] offsets;

    private Rec(List<String> names, List<WitType> fields, int[] offsets, int size, int align) {
      super(size, align, concatFlat(fields));
      this.names = List.copyOf(names);
      this.fields = List.copyOf(fields);
      this.offsets = offsets;
    }

    private static Rec of(List<String> names, List<WitType> fields) {
      int s = 0;
      int a = 1;
      int[] offsets = new int[fields.size()];
      for (int i = 0; i < fields.size(); i++) {
        WitType f = fields.get(i);
        s = alignTo(s, f.align);
        offsets[i] = s;
        s += f.size;
        a = Math.max(a, f.align);
      }
      return new Rec(names, fields, offsets, alignTo(s, a), a);
    }

    private static FlatType[] concatFlat(List<WitType> fields) {
      List<FlatType> out = new ArrayList<>();
      for (WitType f : fields) {
        out.addAll(List.of(f.flat));
      }
      return out.toArray(FlatType[]::new);
    }

    @Override
    public String toString() {
      return "record" + names;
    }
  }

  /** A variant (also option, result and enum, which despecialize to one). */
  public static final class Variant extends WitType {
    /** What the variant was written as in WIT. */
    public enum Flavor {
      VARIANT,
      ENUM,
      OPTION,
      RESULT
    }

    public final Flavor flavor;
    public final List<String> caseNames;

    /** Payload type per case; null for a case without payload. */
    public final List<WitType> caseTypes;

    /** Discriminant width in bytes: 1, 2 or 4. */
    public final int discriminantSize;

    /** Offset of the payload from the start of the variant. */
    final int payloadOffset;

    private Variant(
        Flavor flavor,
        List<String> caseNames,
        List<WitType> caseTypes,
        int discriminantSize,
        int payloadOffset,
        int size,
        int align,
        FlatType[] flat) {
      super(size, align, flat);
      this.flavor = flavor;
      this.caseNames = List.copyOf(caseNames);
      this.caseTypes = java.util.Collections.unmodifiableList(new ArrayList<>(caseTypes));
      this.discriminantSize = discriminantSize;
      this.payloadOffset = payloadOffset;
    }

    private static Variant of(Flavor flavor, List<String> names, List<WitType> types) {
      int n = names.size();
      if (n == 0 || n != types.size()) {
        throw new IllegalArgumentException("a variant needs at least one case");
      }
      int disc = n <= 1 << 8 ? 1 : n <= 1 << 16 ? 2 : 4;
      int maxCaseAlign = 1;
      int maxCaseSize = 0;
      List<FlatType> joined = new ArrayList<>();
      for (WitType t : types) {
        if (t == null) {
          continue;
        }
        maxCaseAlign = Math.max(maxCaseAlign, t.align);
        maxCaseSize = Math.max(maxCaseSize, t.size);
        for (int i = 0; i < t.flat.length; i++) {
          if (i < joined.size()) {
            joined.set(i, FlatType.join(joined.get(i), t.flat[i]));
          } else {
            joined.add(t.flat[i]);
          }
        }
      }
      int align = Math.max(disc, maxCaseAlign);
      int payloadOffset = alignTo(disc, maxCaseAlign);
      int size = alignTo(payloadOffset + maxCaseSize, align);
      FlatType[] flat = new FlatType[1 + joined.size()];
      flat[0] = FlatType.I32;
      for (int i = 0; i < joined.size(); i++) {
        flat[i + 1] = joined.get(i);
      }
      return new Variant(flavor, names, types, disc, payloadOffset, size, align, flat);
    }

    @Override
    public String toString() {
      return flavor.name().toLowerCase(java.util.Locale.ROOT) + caseNames;
    }
  }

  // ---- constructors of descriptors ----

  public static final Prim BOOL = new Prim(Prim.Kind.BOOL);
  public static final Prim U8 = new Prim(Prim.Kind.U8);
  public static final Prim U16 = new Prim(Prim.Kind.U16);
  public static final Prim U32 = new Prim(Prim.Kind.U32);
  public static final Prim S32 = new Prim(Prim.Kind.S32);
  public static final Prim U64 = new Prim(Prim.Kind.U64);
  public static final Prim S64 = new Prim(Prim.Kind.S64);
  public static final Str STRING = new Str();

  public static ListOf list(WitType element) {
    return new ListOf(element);
  }

  /** A record from alternating names and types: {@code record("a", U32, "b", STRING)}. */
  public static Rec record(Object... namesAndTypes) {
    if (namesAndTypes.length % 2 != 0) {
      throw new IllegalArgumentException("names and types must alternate");
    }
    List<String> names = new ArrayList<>();
    List<WitType> types = new ArrayList<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      names.add((String) namesAndTypes[i]);
      types.add((WitType) requireNonNull(namesAndTypes[i + 1], "field type"));
    }
    return Rec.of(names, types);
  }

  public static Rec tuple(WitType... types) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < types.length; i++) {
      names.add(Integer.toString(i));
    }
    return Rec.of(names, List.of(types));
  }

  /** A variant from alternating case names and payload types (null for no payload). */
  public static Variant variant(Object... namesAndTypes) {
    if (namesAndTypes.length % 2 != 0) {
      throw new IllegalArgumentException("names and types must alternate");
    }
    List<String> names = new ArrayList<>();
    List<WitType> types = new ArrayList<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      names.add((String) namesAndTypes[i]);
      types.add((WitType) namesAndTypes[i + 1]);
    }
    return Variant.of(Variant.Flavor.VARIANT, names, types);
  }

  public static Variant enumOf(String... names) {
    List<WitType> types = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      types.add(null);
    }
    return Variant.of(Variant.Flavor.ENUM, List.of(names), types);
  }

  public static Variant option(WitType some) {
    List<WitType> types = new ArrayList<>();
    types.add(null);
    types.add(requireNonNull(some, "some"));
    return Variant.of(Variant.Flavor.OPTION, List.of("none", "some"), types);
  }

  /** {@code result<ok, err>}; either may be null ({@code _}). */
  public static Variant result(WitType ok, WitType err) {
    List<WitType> types = new ArrayList<>();
    types.add(ok);
    types.add(err);
    return Variant.of(Variant.Flavor.RESULT, List.of("ok", "err"), types);
  }
}
