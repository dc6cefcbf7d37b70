package dev.owly.analytics.abi;

import static java.util.Objects.requireNonNull;

/**
 * One instance's linear memory and its {@code cabi_realloc}, with a bounds check on every access:
 * the guest is treated as hostile, so every pointer and length it hands over is checked before use.
 * It also holds the spec's {@code may_leave} flag of the instance: while the host runs {@code
 * cabi_realloc} or a {@code cabi_post_*} function, the guest must not call an import.
 */
public final class GuestMemory {
  private final LinearMemory memory;
  private final CoreFunction realloc;
  private boolean mayLeave = true;

  private GuestMemory(LinearMemory memory, CoreFunction realloc) {
    this.memory = requireNonNull(memory, "memory");
    this.realloc = realloc;
  }

  /**
   * @param realloc the guest's {@code cabi_realloc}; null when only lifting is needed
   */
  public static GuestMemory of(LinearMemory memory, CoreFunction realloc) {
    return new GuestMemory(memory, realloc);
  }

  public LinearMemory memory() {
    return memory;
  }

  /** Current size in bytes. */
  public long byteSize() {
    return memory.byteSize();
  }

  /** Throws unless [ptr, ptr+len) lies inside the memory; both are unsigned 32-bit values. */
  void check(long ptr, long len) {
    if (ptr < 0 || len < 0 || ptr + len > byteSize()) {
      throw new AbiException("abi.out-of-bounds");
    }
  }

  static void checkAligned(long ptr, int align) {
    if ((ptr & (align - 1)) != 0) {
      throw new AbiException("abi.misaligned");
    }
  }

  /** False while the host runs {@code cabi_realloc} or {@code cabi_post_*} (spec: may_leave). */
  boolean mayLeave() {
    return mayLeave;
  }

  /**
   * Runs a guest function that must not call the host. The flag is restored on every exit: after a
   * trap the instance is discarded anyway, and a host-side failure before the guest ran must not
   * leave a healthy instance unable to call its imports.
   */
  long[] callWithoutLeave(CoreFunction fn, long... args) {
    mayLeave = false;
    try {
      return fn.call(args);
    } finally {
      mayLeave = true;
    }
  }

  /** {@code cabi_realloc(0, 0, align, size)}: fresh guest memory for host → guest data. */
  int allocate(int align, int size) {
    if (realloc == null) {
      throw new AbiException("abi.no-realloc");
    }
    long[] r = callWithoutLeave(realloc, 0, 0, align, size);
    if (r == null || r.length != 1) {
      throw new AbiException("abi.missing-result");
    }
    long ptr = Integer.toUnsignedLong((int) r[0]);
    checkAligned(ptr, align);
    check(ptr, size);
    return (int) ptr;
  }
}
