package dev.owly.analytics.abi;

/** A core wasm value type, as used by the Canonical ABI's flattening. */
public enum FlatType {
  I32,
  I64,
  F32,
  F64;

  /** The Canonical ABI {@code join}: the one slot type that can carry both. */
  static FlatType join(FlatType a, FlatType b) {
    if (a == b) {
      return a;
    }
    if ((a == I32 && b == F32) || (a == F32 && b == I32)) {
      return I32;
    }
    return I64;
  }
}
