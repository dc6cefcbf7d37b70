package dev.owly.analytics.abi;

import static java.util.Objects.requireNonNull;

import run.endive.runtime.ExportFunction;
import run.endive.runtime.Memory;

/**
 * One instance's linear memory and its {@code cabi_realloc}, with a bounds check on every access:
 * the guest is treated as hostile, so every pointer and length it hands over is checked before use.
 */
public final class GuestMemory {
  private final Memory memory;
  private final ExportFunction realloc;

  private GuestMemory(Memory memory, ExportFunction realloc) {
    this.memory = requireNonNull(memory, "memory");
    this.realloc = realloc;
  }

  /**
   * @param realloc the guest's {@code cabi_realloc}; null when only lifting is needed
   */
  public static GuestMemory of(Memory memory, ExportFunction realloc) {
    return new GuestMemory(memory, realloc);
  }

  public Memory memory() {
    return memory;
  }

  /** Current size in bytes. */
  public long byteSize() {
    return (long) memory.pages() * Memory.PAGE_SIZE;
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

  /** {@code cabi_realloc(0, 0, align, size)}: fresh guest memory for host → guest data. */
  int allocate(int align, int size) {
    if (realloc == null) {
      throw new AbiException("abi.no-realloc");
    }
    long[] r = realloc.apply(0, 0, align, size);
    long ptr = Integer.toUnsignedLong((int) r[0]);
    checkAligned(ptr, align);
    check(ptr, size);
    return (int) ptr;
  }
}
