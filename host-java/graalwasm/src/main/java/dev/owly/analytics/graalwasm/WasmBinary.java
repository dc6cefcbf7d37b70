package dev.owly.analytics.graalwasm;

import dev.owly.analytics.OwlyException;
import java.io.ByteArrayOutputStream;

/**
 * Rewrites the maximum of a module's memory in its binary (section 5), so the engine itself refuses
 * {@code memory.grow} beyond the pool's cap: GraalWasm has no per-instance memory limit of its own.
 */
final class WasmBinary {
  private static final int MEMORY_SECTION = 5;

  private WasmBinary() {}

  /** The module with every defined memory's maximum lowered to {@code maxPages}. */
  static byte[] capMemory(byte[] wasm, int maxPages) {
    if (wasm.length < 8 || wasm[0] != 0 || wasm[1] != 'a' || wasm[2] != 's' || wasm[3] != 'm') {
      throw new OwlyException("wasm.malformed: magic");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(wasm.length + 8);
    out.write(wasm, 0, 8);
    int[] pos = {8};
    while (pos[0] < wasm.length) {
      int id = wasm[pos[0]++] & 0xFF;
      long size = leb(wasm, pos);
      int start = pos[0];
      if (size > wasm.length - start) {
        throw new OwlyException("wasm.malformed: section size");
      }
      int end = start + (int) size;
      if (id == MEMORY_SECTION) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long count = leb(wasm, pos);
        writeLeb(body, count);
        for (long i = 0; i < count; i++) {
          int flags = wasm[pos[0]++] & 0xFF;
          if ((flags & ~1) != 0) {
            throw new OwlyException("wasm.unsupported-memory: flags " + flags);
          }
          long min = leb(wasm, pos);
          long max = (flags & 1) != 0 ? leb(wasm, pos) : 65536;
          body.write(1);
          writeLeb(body, min);
          writeLeb(body, Math.max(min, Math.min(max, maxPages)));
        }
        if (pos[0] != end) {
          throw new OwlyException("wasm.malformed: memory section");
        }
        out.write(id);
        writeLeb(out, body.size());
        out.writeBytes(body.toByteArray());
      } else {
        out.write(id);
        writeLeb(out, size);
        out.write(wasm, start, (int) size);
      }
      pos[0] = end;
    }
    return out.toByteArray();
  }

  private static long leb(byte[] b, int[] pos) {
    long result = 0;
    int shift = 0;
    while (true) {
      if (pos[0] >= b.length || shift > 28) {
        throw new OwlyException("wasm.malformed: leb128");
      }
      int x = b[pos[0]++] & 0xFF;
      result |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return result;
      }
      shift += 7;
    }
  }

  private static void writeLeb(ByteArrayOutputStream out, long v) {
    do {
      int x = (int) (v & 0x7F);
      v >>>= 7;
      out.write(v != 0 ? x | 0x80 : x);
    } while (v != 0);
  }
}
