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

  /**
   * What is left of a body the server will not use (refused, or never asked for) is skipped — read,
   * never kept — up to this many bytes and {@link #SKIP_MILLIS}, so the client reads the answer
   * instead of a reset connection; a larger declared rest is not waited for.
   */
  public static final long SKIP_BYTES = 4L * 1024 * 1024;

  /** How long skipping may take, so a client that drips its body holds a worker this long only. */
  public static final long SKIP_MILLIS = 2_000;

  /**
   * Skips the rest of a body that declared at most {@link #SKIP_BYTES} ({@code contentLength} null:
   * chunked or unknown), within {@link #SKIP_BYTES} and {@link #SKIP_MILLIS}; true when the body
   * ended, false when the connection should close. An I/O error ends the skipping (false).
   */
  public static boolean skipRest(InputStream in, String contentLength) {
    if (contentLength != null && declaredTooLarge(contentLength, SKIP_BYTES)) {
      return false;
    }
    long deadline = System.nanoTime() + SKIP_MILLIS * 1_000_000;
    byte[] sink = new byte[8192];
    long skipped = 0;
    try {
      int n;
      while ((n = in.read(sink)) != -1) {
        skipped += n;
        if (skipped > SKIP_BYTES || System.nanoTime() > deadline) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
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
