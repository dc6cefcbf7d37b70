package dev.owly.analytics.core;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.spi.Batch;
import dev.owly.analytics.spi.Clock;
import dev.owly.analytics.spi.NewBatch;
import dev.owly.analytics.spi.NewRow;
import dev.owly.analytics.spi.Row;
import dev.owly.analytics.spi.Settlement;
import dev.owly.analytics.spi.Storage;
import dev.owly.analytics.storage.CounterKind;
import dev.owly.analytics.storage.DailyCounters;
import dev.owly.analytics.storage.DailyCounters.Count;
import dev.owly.analytics.storage.DailyCounters.Key;
import dev.owly.analytics.storage.DeliveryHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the host sees — events stored (by name), rejected (by rule id), delivered (by name),
 * flush outcomes, delivery health — in memory, and writes the deltas into {@link DailyCounters} in
 * one small transaction every {@code interval} and on {@link #close}. Recording an event costs one
 * map update, never a database write.
 *
 * <p>So the counters survive instance discards and restarts; what a {@code kill -9} can lose is the
 * last interval's deltas (at most {@code interval} of counts), never rows. A failed write keeps the
 * deltas for the next one. Reads ({@link #totals}, {@link #between}, {@link #health}) return what
 * is stored plus this node's unwritten deltas; other nodes' unwritten deltas show up within their
 * interval.
 */
public final class CounterTally implements AutoCloseable {
  /** The default time between two writes. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(CounterTally.class);

  private final DailyCounters counters;
  private final Clock clock;
  private final ConcurrentHashMap<Key, Long> pending = new ConcurrentHashMap<>();
  private final AtomicReference<DeliveryHealth> pendingHealth =
      new AtomicReference<>(DeliveryHealth.NONE);
  private final ScheduledExecutorService scheduler;

  CounterTally(DailyCounters counters, Clock clock, Duration interval) {
    this.counters = requireNonNull(counters, "counters");
    this.clock = requireNonNull(clock, "clock");
    requireNonNull(interval, "interval");
    if (interval.isZero()) {
      this.scheduler = null;
    } else {
      this.scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "owly-counters");
                t.setDaemon(true);
                return t;
              });
      long ms = Math.max(1, interval.toMillis());
      scheduler.scheduleWithFixedDelay(this::write, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /** The persisted counters this tally writes into. */
  public DailyCounters counters() {
    return counters;
  }

  /** Counts {@code n} under a kind and name on the UTC day of {@code atMs} (e.g. drops). */
  public void count(CounterKind kind, String name, long n, long atMs) {
    if (n != 0) {
      pending.merge(new Key(DailyCounters.utcDay(atMs), kind, name), n, Long::sum);
    }
  }

  void rejected(String rule) {
    count(CounterKind.REJECTED, rule == null ? "unknown" : rule, 1, clock.nowMs());
  }

  void flushed(FlushReport r) {
    long now = clock.nowMs();
    count(CounterKind.FLUSH, "flush.sealed", r.sealed(), now);
    count(CounterKind.FLUSH, "flush.delivered", r.delivered(), now);
    count(CounterKind.FLUSH, "flush.rows-delivered", r.rowsDelivered(), now);
    count(CounterKind.FLUSH, "flush.retrying", r.retrying(), now);
    count(CounterKind.FLUSH, "flush.failed", r.failed(), now);
    count(CounterKind.FLUSH, "flush.quarantined", r.quarantined(), now);
  }

  /** The error code of a send that did not succeed; never content. */
  static String errorCode(Settlement outcome) {
    if (outcome instanceof Settlement.Retry r) {
      return r.status() == null ? "transport" : "http." + r.status();
    }
    if (outcome instanceof Settlement.Failed f) {
      if (f.reason() != null && !f.reason().isEmpty()) {
        return f.reason();
      }
      return f.status() == null ? "failed" : "http." + f.status();
    }
    return null;
  }

  private void observe(long atMs, Settlement outcome) {
    if (outcome instanceof Settlement.Delivered) {
      pendingHealth.updateAndGet(h -> h.success(atMs));
    } else {
      String code = errorCode(outcome);
      pendingHealth.updateAndGet(h -> h.failure(atMs, code));
    }
  }

  /**
   * Writes the deltas and the health observed since the last write; true when both were stored.
   * Synchronized with the reads, so a read never misses deltas that are being written.
   */
  public synchronized boolean write() {
    Map<Key, Long> drained = new HashMap<>();
    for (Key k : pending.keySet()) {
      Long v = pending.remove(k);
      if (v != null) {
        drained.merge(k, v, Long::sum);
      }
    }
    DeliveryHealth health = pendingHealth.getAndSet(DeliveryHealth.NONE);
    boolean ok = true;
    try {
      counters.add(drained);
    } catch (RuntimeException e) {
      drained.forEach((k, v) -> pending.merge(k, v, Long::sum));
      LOG.warn("owly counters not written ({} keys kept): {}", drained.size(), e.getMessage());
      ok = false;
    }
    try {
      counters.mergeHealth(health);
    } catch (RuntimeException e) {
      pendingHealth.updateAndGet(health::merge);
      LOG.warn("owly delivery health not written: {}", e.getMessage());
      ok = false;
    }
    return ok;
  }

  /**
   * Forgets the unwritten deltas (after "delete all analytics data", so counts of deleted events
   * are not written back).
   */
  public synchronized void discard() {
    pending.clear();
    pendingHealth.set(DeliveryHealth.NONE);
  }

  /** All-time sums by kind and name: stored plus unwritten. */
  public synchronized Map<CounterKind, Map<String, Long>> totals() {
    Map<CounterKind, Map<String, Long>> out = new EnumMap<>(CounterKind.class);
    counters.totals().forEach((k, names) -> out.put(k, new TreeMap<>(names)));
    pending.forEach(
        (key, n) ->
            out.computeIfAbsent(key.kind(), x -> new TreeMap<>()).merge(key.name(), n, Long::sum));
    return out;
  }

  /** The counters of days {@code fromDay}…{@code toDay}: stored plus unwritten, by key. */
  public synchronized List<Count> between(int fromDay, int toDay) {
    Map<Key, Long> sums = new TreeMap<>(Key.ORDER);
    for (Count c : counters.between(fromDay, toDay)) {
      sums.merge(new Key(c.day(), c.kind(), c.name()), c.amount(), Long::sum);
    }
    pending.forEach(
        (key, n) -> {
          if (key.day() >= fromDay && key.day() <= toDay) {
            sums.merge(key, n, Long::sum);
          }
        });
    List<Count> out = new ArrayList<>(sums.size());
    sums.forEach((k, n) -> out.add(new Count(k.day(), k.kind(), k.name(), n)));
    return out;
  }

  /** The delivery health: stored, merged with what this node observed since its last write. */
  public synchronized DeliveryHealth health() {
    return counters.health().merge(pendingHealth.get());
  }

  /** Wraps the core's storage import so stores and settlements are counted as they commit. */
  Storage observing(Storage storage) {
    return new Observed(requireNonNull(storage, "storage"));
  }

  /** Stops the schedule and writes what is left. */
  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    write();
  }

  @Override
  public String toString() {
    return "CounterTally[" + counters + ", unwritten=" + pending.size() + "]";
  }

  private final class Observed implements Storage {
    private final Storage delegate;

    Observed(Storage delegate) {
      this.delegate = delegate;
    }

    @Override
    public long append(NewRow row) {
      long id = delegate.append(row);
      count(CounterKind.ACCEPTED, row.name(), 1, Math.multiplyExact(row.recordedAt(), 1000L));
      return id;
    }

    @Override
    public void settle(long batchId, long nowMs, Settlement outcome) {
      // The collector's answer is health whether or not this node still holds the batch.
      observe(nowMs, outcome);
      delegate.settle(batchId, nowMs, outcome);
      if (outcome instanceof Settlement.Delivered) {
        try {
          counters.sentOf(batchId).forEach((k, n) -> pending.merge(k, n, Long::sum));
        } catch (RuntimeException e) {
          // The batch is delivered and settled; only its sent counts are lost.
          LOG.warn("owly sent counts of a delivered batch not read: {}", e.getMessage());
        }
      }
    }

    @Override
    public List<Row> claim(int limit, long nowMs, long leaseUntilMs) {
      return delegate.claim(limit, nowMs, leaseUntilMs);
    }

    @Override
    public List<Row> peek(int limit) {
      return delegate.peek(limit);
    }

    @Override
    public long seal(NewBatch batch) {
      return delegate.seal(batch);
    }

    @Override
    public List<Batch> due(int limit, long nowMs, long leaseUntilMs) {
      return delegate.due(limit, nowMs, leaseUntilMs);
    }

    @Override
    public void quarantine(long[] rowIds, String rule) {
      delegate.quarantine(rowIds, rule);
    }

    @Override
    public long purge(long beforeMs) {
      return delegate.purge(beforeMs);
    }

    @Override
    public String toString() {
      return "Counted[" + delegate + "]";
    }
  }
}
