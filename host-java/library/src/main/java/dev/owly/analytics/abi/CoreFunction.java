package dev.owly.analytics.abi;

/**
 * A core wasm function as the Canonical ABI calls it: flat values in, flat values out (i32 as the
 * low 32 bits of a long). A guest export ({@code cabi_realloc}, {@code cabi_post_*}, a world
 * export) or, in the other direction, the host side of an import.
 */
@FunctionalInterface
public interface CoreFunction {
  /** Returns the results (null or empty without result). */
  long[] call(long... args);
}
