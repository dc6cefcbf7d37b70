package dev.owly.analytics.core;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.abi.Case;
import dev.owly.analytics.abi.WitTypes;
import dev.owly.analytics.runtime.GuestCallException;
import dev.owly.analytics.runtime.InstancePool;
import dev.owly.analytics.runtime.ModuleSource;
import dev.owly.analytics.spi.Capabilities;
import dev.owly.analytics.spi.Counter;
import dev.owly.analytics.spi.StorageException;
import dev.owly.analytics.storage.CounterKind;
import dev.owly.analytics.storage.DailyCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Owly analytics core on the JVM: the WebAssembly module, parsed and compiled once, run by a
 * pool of instances whose imports delegate to {@link Capabilities}. Thread-safe.
 */
public final class Core implements AutoCloseable {
  /** The rule of a rejection caused by a runtime failure, not by the event. */
  public static final String HOST_ERROR = "host.error";

  /** The rule of a rejection of a Java string that is not valid UTF-16 (a lone surrogate). */
  public static final String HOST_ENCODING = "host.encoding";

  private final InstancePool pool;

  /** The host's persisted counters; null when the core runs without them (offline tools). */
  private final CounterTally tally;

  private Core(InstancePool pool, CounterTally tally) {
    this.pool = pool;
    this.tally = tally;
  }

  public static Builder builder(Capabilities caps) {
    return new Builder(caps);
  }

  /** Configures a {@link Core}. */
  public static final class Builder {
    private final Capabilities caps;
    private Engine engine = Engine.AOT;
    private ModuleSource source;
    private int poolSize = Runtime.getRuntime().availableProcessors();
    private Duration callTimeout = Duration.ofSeconds(30);
    private int maxMemoryPages = 256;
    private DailyCounters counters;
    private Duration counterInterval = CounterTally.DEFAULT_INTERVAL;

    private Builder(Capabilities caps) {
      this.caps = requireNonNull(caps, "caps");
    }

    public Builder withEngine(Engine engine) {
      this.engine = requireNonNull(engine, "engine");
      return this;
    }

    /** Runs another build of the module (tests); overrides {@link #withEngine}. */
    public Builder withModule(ModuleSource source) {
      this.source = requireNonNull(source, "source");
      return this;
    }

    public Builder withPoolSize(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("pool size must be at least 1");
      }
      this.poolSize = n;
      return this;
    }

    public Builder withCallTimeout(Duration d) {
      this.callTimeout = requireNonNull(d, "callTimeout");
      return this;
    }

    public Builder withMaxMemoryPages(int pages) {
      this.maxMemoryPages = pages;
      return this;
    }

    /**
     * Keeps the counters (stored, rejected, sent, flush outcomes, delivery health) in these tables
     * instead of only in the live instances, so they survive instance discards and restarts; the
     * host counts in memory and writes the deltas every {@code interval} (zero: only on {@link
     * CounterTally#write} and {@link Core#close}).
     */
    public Builder withCounters(DailyCounters counters, Duration interval) {
      this.counters = requireNonNull(counters, "counters");
      if (requireNonNull(interval, "interval").isNegative()) {
        throw new IllegalArgumentException("interval must not be negative");
      }
      this.counterInterval = interval;
      return this;
    }

    /**
     * {@link #withCounters(DailyCounters, Duration)} every {@link CounterTally#DEFAULT_INTERVAL}.
     */
    public Builder withCounters(DailyCounters counters) {
      return withCounters(counters, CounterTally.DEFAULT_INTERVAL);
    }

    public Core build() {
      ModuleSource s = source;
      if (s == null) {
        s =
            switch (engine) {
              case AOT -> ModuleSource.aot();
              case INTERPRETER -> ModuleSource.interpreter();
              case GRAALWASM -> ModuleSource.graalwasm();
            };
      }
      CounterTally tally = null;
      Capabilities c = caps;
      if (counters != null) {
        tally = new CounterTally(counters, caps.clock(), counterInterval);
        c =
            new Capabilities(
                tally.observing(caps.storage()),
                caps.transport(),
                caps.clock(),
                caps.entropy(),
                caps.settings(),
                caps.log());
      }
      try {
        return new Core(
            InstancePool.builder(s, c)
                .withSize(poolSize)
                .withCallTimeout(callTimeout)
                .withMaxMemoryPages(maxMemoryPages)
                .build(),
            tally);
      } catch (RuntimeException e) {
        if (tally != null) {
          tally.close();
        }
        throw e;
      }
    }
  }

  /**
   * Checks and stores one event. Never throws for bad input: a rejection is data. Throws {@link
   * GuestCallException} {@link GuestCallException#REENTRANT} when called from inside a capability
   * of this core, as every method does.
   */
  public Verdict record(String eventJson) {
    requireNonNull(eventJson, "eventJson");
    try {
      Case r = (Case) pool.call(i -> i.call(WitTypes.RECORDER_RECORD, eventJson));
      if (r.isOk()) {
        // Counted by name where it was stored (the tally's storage wrapper), not here.
        return new Verdict(true, (Long) r.payload(), null, null);
      }
      Object[] rej = (Object[]) r.payload();
      return rejected(new Verdict(false, 0, (String) rej[0], (String) rej[1]));
    } catch (GuestCallException e) {
      return rejected(new Verdict(false, 0, hostRule(e), "event"));
    }
  }

  private Verdict rejected(Verdict v) {
    if (tally != null) {
      tally.rejected(v.rule());
    }
    return v;
  }

  /** The same checks as {@link #record}, storing nothing. */
  public CheckResult check(String eventJson) {
    requireNonNull(eventJson, "eventJson");
    try {
      Case r = (Case) pool.call(i -> i.call(WitTypes.RECORDER_CHECK, eventJson));
      if (r.isOk()) {
        return new CheckResult(true, (String) r.payload(), null, null);
      }
      Object[] rej = (Object[]) r.payload();
      return new CheckResult(false, null, (String) rej[0], (String) rej[1]);
    } catch (GuestCallException e) {
      return new CheckResult(false, null, hostRule(e), "event");
    }
  }

  /**
   * The rule of a verdict for a runtime failure. A call back into the core from inside one of its
   * own capabilities is a bug in that capability, not something about the event: it is thrown.
   */
  private static String hostRule(GuestCallException e) {
    if (GuestCallException.REENTRANT.equals(e.code())) {
      throw e;
    }
    return "abi.invalid-utf16".equals(e.code()) ? HOST_ENCODING : HOST_ERROR;
  }

  /** Runs the delivery model once; throws {@link GuestCallException} on a runtime failure. */
  public FlushReport flush() {
    Object[] f = (Object[]) pool.call(i -> i.call(WitTypes.DELIVERY_FLUSH));
    Case stopped = (Case) f[0];
    FlushReport report =
        new FlushReport(
            stopped.index() == 0
                ? null
                : StopReason.ofCase(((Case) stopped.payload()).index()).id(),
            (Integer) f[1],
            (Integer) f[2],
            (Integer) f[3],
            (Integer) f[4],
            (Integer) f[5],
            (Integer) f[6],
            (Long) f[7]);
    if (tally != null) {
      tally.flushed(report);
    }
    return report;
  }

  /** The body the next flush would send, if rows are pending. */
  public java.util.Optional<String> preview() {
    Case r = (Case) pool.call(i -> i.call(WitTypes.DELIVERY_PREVIEW));
    if (r.isOk()) {
      Case some = (Case) r.payload();
      return some.index() == 0
          ? java.util.Optional.empty()
          : java.util.Optional.of((String) some.payload());
    }
    Case err = (Case) r.payload();
    StorageException.Kind kind = StorageException.Kind.values()[err.index()];
    String message = err.payload() == null ? "lost-claim" : (String) err.payload();
    throw new StorageException(kind, message);
  }

  /** Decodes a wire-format body strictly. */
  public Decoded decode(String body) {
    requireNonNull(body, "body");
    Case r = (Case) payloadCall(() -> pool.call(i -> i.call(WitTypes.INSPECT_DECODE, body)));
    if (!r.isOk()) {
      throw payloadError((Case) r.payload());
    }
    Object[] d = (Object[]) r.payload();
    return new Decoded(
        (Long) d[0],
        (String) d[1],
        (Boolean) d[2],
        (String) d[3],
        (String) d[4],
        (Integer) d[5],
        (String) d[6]);
  }

  /** Decodes and verifies a body: hash, and otp within ±{@code driftSteps} steps. */
  public Verified verify(String body, byte[] secret, long atSeconds, int driftSteps) {
    requireNonNull(body, "body");
    requireNonNull(secret, "secret");
    byte[] key = secret.clone();
    Case r =
        (Case)
            payloadCall(
                () ->
                    pool.call(
                        i -> i.call(WitTypes.INSPECT_VERIFY, body, key, atSeconds, driftSteps)));
    if (!r.isOk()) {
      throw payloadError((Case) r.payload());
    }
    Object[] v = (Object[]) r.payload();
    return new Verified((Long) v[0], (String) v[1], (String) v[2], (Integer) v[3], (Integer) v[4]);
  }

  private static Object payloadCall(java.util.function.Supplier<Object> call) {
    try {
      return call.get();
    } catch (GuestCallException e) {
      if ("abi.invalid-utf16".equals(e.code())) {
        throw new PayloadException(PayloadException.Kind.MALFORMED, "encoding", e);
      }
      throw e;
    }
  }

  private static PayloadException payloadError(Case err) {
    PayloadException.Kind kind = PayloadException.Kind.values()[err.index()];
    return new PayloadException(kind, (String) err.payload());
  }

  /** Everything that can ever leave the instance. */
  public List<EventSpec> catalog() {
    List<?> specs = (List<?>) pool.call(i -> i.call(WitTypes.INSPECT_CATALOG));
    List<EventSpec> out = new ArrayList<>(specs.size());
    for (Object o : specs) {
      Object[] e = (Object[]) o;
      Case segment = (Case) e[1];
      List<AttributeSpec> attrs = new ArrayList<>();
      for (Object a : (List<?>) e[3]) {
        Object[] f = (Object[]) a;
        attrs.add(new AttributeSpec((String) f[0], kind((Case) f[1]), (String) f[2]));
      }
      out.add(
          new EventSpec(
              (String) e[0],
              segment.index() == 0 ? null : strings(segment.payload()),
              (String) e[2],
              List.copyOf(attrs)));
    }
    return List.copyOf(out);
  }

  private static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) list) {
      out.add((String) o);
    }
    return List.copyOf(out);
  }

  private static String kind(Case k) {
    return switch (k.index()) {
      case 0 -> "one-of(" + String.join("|", strings(k.payload())) + ")";
      case 1 -> {
        Object[] range = (Object[]) k.payload();
        yield "integer(" + range[0] + ".." + range[1] + ")";
      }
      default -> "boolean";
    };
  }

  /**
   * The counters by rule id and metric name (sorted by name): {@code record.accepted}, a count per
   * rejecting rule id, {@code flush.*}, {@code dropped.<reason>}. With {@link Builder#withCounters}
   * they are the persisted counters plus this node's unwritten deltas (all nodes, all time);
   * without, the live instances' own counters, summed.
   */
  public List<Counter> stats() {
    if (tally != null) {
      return persistedStats(tally.totals());
    }
    Map<String, Long> sums = new TreeMap<>();
    for (Object list : pool.callEach(i -> i.call(WitTypes.RECORDER_STATS))) {
      for (Object o : (List<?>) list) {
        Object[] c = (Object[]) o;
        sums.merge((String) c[0], (Long) c[1], Long::sum);
      }
    }
    List<Counter> out = new ArrayList<>(sums.size());
    sums.forEach((k, v) -> out.add(new Counter(k, v)));
    return List.copyOf(out);
  }

  /** The same names the core module counts under, from the persisted counters. */
  static List<Counter> persistedStats(Map<CounterKind, Map<String, Long>> totals) {
    Map<String, Long> sums = new TreeMap<>();
    totals.forEach(
        (kind, names) ->
            names.forEach(
                (name, n) -> {
                  switch (kind) {
                    case ACCEPTED -> sums.merge("record.accepted", n, Long::sum);
                    case REJECTED, FLUSH -> sums.merge(name, n, Long::sum);
                    case DROPPED -> sums.merge("dropped." + name, n, Long::sum);
                    case SENT -> {} // the same rows as flush.rows-delivered, by event name
                  }
                }));
    List<Counter> out = new ArrayList<>(sums.size());
    sums.forEach((k, v) -> out.add(new Counter(k, v)));
    return List.copyOf(out);
  }

  /** The host's persisted counters, when the core was built {@link Builder#withCounters}. */
  public Optional<CounterTally> counters() {
    return Optional.ofNullable(tally);
  }

  /**
   * The engine in use: {@code aot}, {@code interpreter}, {@code graalwasm} or {@code
   * runtime-compiler}.
   */
  public String engine() {
    return pool.engine();
  }

  /** Closes the instances, then writes the counters' last deltas. */
  @Override
  public void close() {
    try {
      pool.close();
    } finally {
      if (tally != null) {
        tally.close();
      }
    }
  }
}
