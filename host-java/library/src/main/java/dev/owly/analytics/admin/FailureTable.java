package dev.owly.analytics.admin;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Failure counts that a flood cannot switch off: a leaky bucket per key (each failure adds one, the
 * bucket drains {@code limit} per {@code window}), in a table of fixed capacity. When the table is
 * full, a new key evicts the <em>least bad</em> entry — the one whose bucket empties first — so a
 * flood of fresh keys (each worth one failure) evicts other fresh keys and drained buckets, never a
 * key that is over its limit while others are not: everything keeps being counted.
 *
 * <p>A bucket is kept as the time it will be empty ({@code emptyAt}): its level at {@code t} is
 * {@code (emptyAt - t) × rate}, so ordering by {@code emptyAt} is ordering by badness at every
 * moment, and the least bad entry is the first of a sorted set (O(log n) per failure).
 */
final class FailureTable {
  private static final class Entry implements Comparable<Entry> {
    final String key;
    final long serial;
    double emptyAt;

    Entry(String key, long serial) {
      this.key = key;
      this.serial = serial;
    }

    @Override
    public int compareTo(Entry o) {
      int c = Double.compare(emptyAt, o.emptyAt);
      return c != 0 ? c : Long.compare(serial, o.serial);
    }
  }

  private final int capacity;
  private final int limit;
  private final double msPerFailure;
  private final Map<String, Entry> entries = new HashMap<>();
  private final TreeSet<Entry> byBadness = new TreeSet<>();
  private long serials;

  /** At most {@code limit} failures per {@code windowMs} for each of {@code capacity} keys. */
  FailureTable(int capacity, int limit, long windowMs) {
    if (capacity < 1 || limit < 1 || windowMs < 1) {
      throw new IllegalArgumentException("capacity, limit and window must be positive");
    }
    this.capacity = capacity;
    this.limit = limit;
    this.msPerFailure = (double) windowMs / limit;
  }

  /**
   * Seconds to wait before {@code key} may try again (its bucket holds {@code limit} failures), or
   * 0 when it may try now.
   */
  synchronized long retryAfterSeconds(String key, long nowMs) {
    Entry e = entries.get(key);
    if (e == null) {
      return 0;
    }
    // Below the limit once the level has drained to limit - 1 failures.
    double freeAt = e.emptyAt - (limit - 1) * msPerFailure;
    if (freeAt <= nowMs) {
      return 0;
    }
    return Math.max(1, (long) Math.ceil((freeAt - nowMs) / 1000));
  }

  /** Counts one failure of {@code key}. */
  synchronized void fail(String key, long nowMs) {
    Entry e = entries.get(key);
    if (e == null) {
      if (entries.size() >= capacity) {
        Entry least = byBadness.pollFirst();
        entries.remove(least.key);
      }
      e = new Entry(key, serials++);
      e.emptyAt = nowMs;
      entries.put(key, e);
    } else {
      byBadness.remove(e);
    }
    e.emptyAt = Math.max(e.emptyAt, nowMs) + msPerFailure;
    byBadness.add(e);
  }

  /** Forgets {@code key} (a correct password from that context). */
  synchronized void clear(String key) {
    Entry e = entries.remove(key);
    if (e != null) {
      byBadness.remove(e);
    }
  }

  synchronized int size() {
    return entries.size();
  }
}
