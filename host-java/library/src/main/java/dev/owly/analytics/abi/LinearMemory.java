package dev.owly.analytics.abi;

/**
 * One instance's linear memory, as the Canonical ABI reads and writes it: little-endian, addresses
 * already checked by {@link GuestMemory}. Each wasm engine adapts its own memory to this (Endive's
 * {@code Memory}, GraalWasm's buffer {@code Value}); the names follow Endive's.
 */
public interface LinearMemory {
  /** Current size in bytes (grows when the guest runs {@code memory.grow}). */
  long byteSize();

  byte read(int addr);

  short readShort(int addr);

  int readInt(int addr);

  long readLong(int addr);

  byte[] readBytes(int addr, int len);

  void writeByte(int addr, byte value);

  void writeShort(int addr, short value);

  void writeI32(int addr, int value);

  void writeLong(int addr, long value);

  void write(int addr, byte[] bytes);
}
