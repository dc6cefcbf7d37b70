package dev.owly.analytics.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Request bodies read with a hard cap, shared by the collector and the admin API. */
public final class BoundedBody {
  private BoundedBody() {}

  /** Whether a declared {@code Content-Length} is over {@code max} (or unreadable). */
  public static boolean declaredTooLarge(String contentLength, long max) {
    try {
      return Long.parseLong(contentLength.trim()) > max;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** Reads at most {@code max} bytes; null when there is more (the rest is left unread). */
  public static byte[] read(InputStream in, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 8192));
    byte[] buffer = new byte[8192];
    int total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      total += n;
      if (total > max) {
        return null;
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
