package dev.owly.analytics.graalwasm;

import dev.owly.analytics.abi.LinearMemory;
import java.nio.ByteOrder;
import org.graalvm.polyglot.Value;

/**
 * GraalWasm's exported memory (a polyglot buffer) as the ABI's {@link LinearMemory}. The buffer API
 * has a bulk read but no bulk write, so {@link #write} goes eight bytes at a time.
 */
final class GraalMemory implements LinearMemory {
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private final Value m;

  GraalMemory(Value memory) {
    this.m = memory;
  }

  @Override
  public long byteSize() {
    return m.getBufferSize();
  }

  @Override
  public byte read(int addr) {
    return m.readBufferByte(Integer.toUnsignedLong(addr));
  }

  @Override
  public short readShort(int addr) {
    return m.readBufferShort(LE, Integer.toUnsignedLong(addr));
  }

  @Override
  public int readInt(int addr) {
    return m.readBufferInt(LE, Integer.toUnsignedLong(addr));
  }

  @Override
  public long readLong(int addr) {
    return m.readBufferLong(LE, Integer.toUnsignedLong(addr));
  }

  @Override
  public byte[] readBytes(int addr, int len) {
    byte[] out = new byte[len];
    if (len > 0) {
      m.readBuffer(Integer.toUnsignedLong(addr), out, 0, len);
    }
    return out;
  }

  @Override
  public void writeByte(int addr, byte value) {
    m.writeBufferByte(Integer.toUnsignedLong(addr), value);
  }

  @Override
  public void writeShort(int addr, short value) {
    m.writeBufferShort(LE, Integer.toUnsignedLong(addr), value);
  }

  @Override
  public void writeI32(int addr, int value) {
    m.writeBufferInt(LE, Integer.toUnsignedLong(addr), value);
  }

  @Override
  public void writeLong(int addr, long value) {
    m.writeBufferLong(LE, Integer.toUnsignedLong(addr), value);
  }

  @Override
  public void write(int addr, byte[] bytes) {
    long base = Integer.toUnsignedLong(addr);
    int n = bytes.length;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long v =
          (bytes[i] & 0xFFL)
              | (bytes[i + 1] & 0xFFL) << 8
              | (bytes[i + 2] & 0xFFL) << 16
              | (bytes[i + 3] & 0xFFL) << 24
              | (bytes[i + 4] & 0xFFL) << 32
              | (bytes[i + 5] & 0xFFL) << 40
              | (bytes[i + 6] & 0xFFL) << 48
              | (bytes[i + 7] & 0xFFL) << 56;
      m.writeBufferLong(LE, base + i, v);
    }
    for (; i < n; i++) {
      m.writeBufferByte(base + i, bytes[i]);
    }
  }
}
