package dev.owly.analytics.api;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.CounterTally;
import dev.owly.analytics.core.Engine;
import dev.owly.analytics.core.FlushReport;
import dev.owly.analytics.core.Verdict;
import dev.owly.analytics.settings.JdbcSettings;
import dev.owly.analytics.spi.Capabilities;
import dev.owly.analytics.spi.Clock;
import dev.owly.analytics.spi.Entropy;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.Request;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Transport;
import dev.owly.analytics.spi.TransportException;
import dev.owly.analytics.storage.DailyCounters;
import dev.owly.analytics.storage.JdbcStorage;
import dev.owly.analytics.storage.Pools;
import dev.owly.analytics.transport.ConfiguredTransport;
import dev.owly.analytics.transport.FlushBudget;
import dev.owly.analytics.transport.HttpsTransport;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Data Center plugin embeds: storage in the instance database, the core on Endive, a
 * scheduled flush.
 *
 * <pre>{@code
 * Owly owly = Owly.builder(dataSource).withServerId(serverId)
 *     .withProductVersion("9.12.15").withAppVersion("0.9.9").build();
 * owly.record("owly.export.finished", Map.of("format", "csv", "rows", 120345));
 * }</pre>
 *
 * <p>{@link #record} and {@link #flush} never throw into the caller: a rejection or a host failure
 * is a {@link Verdict} with a rule id, a flush that failed or ran out of time a {@link FlushReport}
 * whose {@code stopped} says why. Flushes (on demand, scheduled, the last one on close) run one at
 * a time on one thread. Logging carries codes and counts, never event content or secrets.
 */
public final class Owly implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Owly.class);

  /** The reason of a flush that threw inside (the exception's class is logged). */
  public static final String FLUSH_FAILED = "flush.failed";

  /** Connections of the pool that wraps an unpooled data source. */
  private static final int WRAPPED_POOL_SIZE = 4;

  /** Unpooled data source classes already logged (once per class per JVM). */
  private static final Set<String> LOGGED_UNPOOLED = ConcurrentHashMap.newKeySet();

  private final AutoCloseable ownPool;
  private final JdbcStorage storage;
  private final JdbcSettings settings;
  private final Core core;
  private final FlushBudget budget;
  private final ScheduledThreadPoolExecutor flusher;
  private final Duration flushBudget;
  private final Duration drainTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Owly(Builder b) {
    DataSource dataSource = b.dataSource;
    if (Pools.isUnpooled(dataSource)) {
      String kind = dataSource.getClass().getName();
      if (LOGGED_UNPOOLED.add(kind)) {
        LOG.warn(
            "owly storage.unpooled {}: every storage call would open a database connection;"
                + " wrapped in a pool of {} (pass a pooled DataSource, e.g. the product's, or"
                + " Pools.over(...))",
            kind,
            WRAPPED_POOL_SIZE);
      }
      var pooled = Pools.over(dataSource, WRAPPED_POOL_SIZE);
      dataSource = pooled;
      this.ownPool = pooled;
    } else {
      this.ownPool = null;
    }
    String nodeId = b.nodeId != null ? b.nodeId : JdbcStorage.defaultNodeId();
    try {
      this.storage = JdbcStorage.builder(dataSource).withNodeId(nodeId).build();
    } catch (RuntimeException e) {
      closeQuietly(ownPool);
      throw e;
    }
    JdbcSettings.Builder sb = JdbcSettings.builder(dataSource);
    if (b.serverId != null) {
      sb.withServerId(b.serverId);
    }
    if (b.productVersion != null) {
      sb.withProductVersion(b.productVersion);
    }
    if (b.appVersion != null) {
      sb.withAppVersion(b.appVersion);
    }
    this.settings = sb.build();
    if (b.collectorUrl != null) {
      settings.setCollectorUrl(b.collectorUrl);
    }
    if (b.secret != null) {
      settings.setSecret(b.secret);
    }
    if (b.limits != null) {
      settings.setLimits(b.limits);
    }
    if (b.retentionDays != null) {
      settings.setRetentionDays(b.retentionDays);
    }
    settings.initMode(b.initialMode);
    Transport configured =
        b.transport != null ? b.transport : ConfiguredTransport.following(settings::collectorUrl);
    this.budget = new FlushBudget(onlyWhenRemote(configured), HttpsTransport.DEFAULT_LONGEST_SEND);
    Capabilities caps =
        new Capabilities(
            storage,
            budget,
            b.clock,
            Entropy.secure(),
            settings,
            (level, code, counts) -> {
              // Codes and counts only: the core never hands content to the log import.
              switch (level) {
                case ERROR -> LOG.error("owly core {} {}", code, counts);
                case WARN -> LOG.warn("owly core {} {}", code, counts);
                case INFO -> LOG.info("owly core {} {}", code, counts);
                case DEBUG -> LOG.debug("owly core {} {}", code, counts);
              }
            });
    // The guest's call limit stays above the flush budget: a flush ends by its budget (no send
    // starts that could outlast it), never by the guest being cut off in the middle of a send.
    Core.Builder cb =
        Core.builder(caps)
            .withEngine(b.engine)
            .withCallTimeout(b.flushBudget.plus(CALL_TIMEOUT_MARGIN))
            .withCounters(new DailyCounters(storage.dataSource()), b.counterInterval);
    if (b.poolSize > 0) {
      cb.withPoolSize(b.poolSize);
    }
    this.core = cb.build();
    this.flushBudget = b.flushBudget;
    this.drainTimeout = b.drainTimeout;
    this.flusher =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "owly-flush");
              t.setDaemon(true);
              return t;
            });
    if (!b.flushInterval.isZero()) {
      long ms = b.flushInterval.toMillis();
      flusher.scheduleWithFixedDelay(this::scheduledFlush, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /** Room for the storage calls of a flush after its last send. */
  private static final Duration CALL_TIMEOUT_MARGIN = Duration.ofSeconds(30);

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("owly close failed: {}", e.getClass().getSimpleName());
    }
  }

  /**
   * The core asks {@link JdbcSettings#mode()} before each send, which may be up to {@link
   * JdbcSettings#MODE_TTL} old when another node switched; this checks the stored mode itself in
   * {@code ready()} (so no attempt is counted) and again in {@code send}, so nothing leaves in a
   * mode that forbids it. Not remote: {@code not-configured}, and the batch stays sealed.
   */
  private Transport onlyWhenRemote(Transport transport) {
    return new Transport() {
      @Override
      public void ready() {
        requireRemote();
        transport.ready();
      }

      @Override
      public Response send(Request request) {
        requireRemote();
        return transport.send(request);
      }
    };
  }

  private void requireRemote() {
    if (settings.freshMode() != Mode.REMOTE) {
      throw new TransportException(TransportException.Kind.NOT_CONFIGURED, "mode.not-remote");
    }
  }

  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Records one feature-usage event; never throws. */
  public Verdict record(String name, Map<String, ?> attributes) {
    try {
      return core.record(EventJson.of(name, attributes));
    } catch (RuntimeException e) {
      LOG.warn("owly record failed: {}", e.getClass().getSimpleName());
      return new Verdict(false, 0, Core.HOST_ERROR, "");
    }
  }

  /** Records one event given as JSON ({@code {"name":…,"attributes":{…}}}); never throws. */
  public Verdict recordJson(String eventJson) {
    try {
      return core.record(eventJson == null ? "" : eventJson);
    } catch (RuntimeException e) {
      LOG.warn("owly record failed: {}", e.getClass().getSimpleName());
      return new Verdict(false, 0, Core.HOST_ERROR, "");
    }
  }

  /**
   * Runs one flush now (the delivery model); nothing is sent unless the mode is remote. Returns
   * within the flush budget ({@link Builder#withFlushBudget}) and never throws: a flush that has
   * not ended by then goes on in the background and this returns {@code stopped = "flush.budget"};
   * one that failed returns {@code stopped = "flush.failed"} (or {@code "owly.closed"}). Nothing is
   * lost either way: what was not delivered stays pending or sealed for the next flush.
   */
  public FlushReport flush() {
    return awaitFlush(flushBudget);
  }

  private FlushReport awaitFlush(Duration timeout) {
    Future<FlushReport> f;
    try {
      f = flusher.submit(() -> runFlush(timeout));
    } catch (RejectedExecutionException e) {
      return stopped("owly.closed");
    }
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn(
          "owly flush.budget {} ms spent; the flush goes on in the background", timeout.toMillis());
      return stopped(FlushBudget.STOPPED);
    } catch (ExecutionException e) {
      return stopped(FLUSH_FAILED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return stopped("interrupted");
    }
  }

  /** One flush on the flush thread, within {@code time}. */
  private FlushReport runFlush(Duration time) {
    budget.begin(time);
    try {
      FlushReport r = core.flush();
      if (budget.end()) {
        return withStopped(r, FlushBudget.STOPPED);
      }
      return r;
    } catch (RuntimeException e) {
      // A failed flush loses nothing (rows stay pending or sealed); the next one goes on.
      budget.end();
      // Host exceptions carry codes, never content (e.g. "timeout", "storage.claim (sqlstate …)").
      LOG.warn(
          "owly {} {} {}",
          FLUSH_FAILED,
          e.getClass().getSimpleName(),
          e instanceof dev.owly.analytics.OwlyException ? e.getMessage() : "");
      return stopped(FLUSH_FAILED);
    }
  }

  private void scheduledFlush() {
    FlushReport r = runFlush(flushBudget);
    LOG.debug(
        "owly flush stopped={} delivered={} retrying={} failed={}",
        r.stopped(),
        r.delivered(),
        r.retrying(),
        r.failed());
  }

  private static FlushReport stopped(String why) {
    return new FlushReport(why, 0, 0, 0, 0, 0, 0, 0);
  }

  private static FlushReport withStopped(FlushReport r, String why) {
    return new FlushReport(
        why,
        r.sealed(),
        r.delivered(),
        r.rowsDelivered(),
        r.retrying(),
        r.failed(),
        r.quarantined(),
        r.purged());
  }

  /** This node's id in claims and leases. */
  public String nodeId() {
    return storage.nodeId();
  }

  /**
   * How delivery stands: pending rows, sealed / retrying / failed batches, dropped rows, the last
   * successful delivery, since when sends fail and the last error code. Reads the database.
   */
  public DeliveryStatus status() {
    return DeliveryStatus.read(core, storage);
  }

  public Core core() {
    return core;
  }

  public JdbcStorage storage() {
    return storage;
  }

  public JdbcSettings settings() {
    return settings;
  }

  /**
   * Stops the schedule and, in remote mode, makes one last flush bounded by the drain timeout;
   * whatever is not delivered stays in the database for the next start.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    boolean remote;
    try {
      remote = settings.freshMode() == Mode.REMOTE;
    } catch (RuntimeException e) {
      remote = false; // the database is away: nothing could be sent anyway
    }
    if (!drainTimeout.isZero() && remote) {
      flusher.submit(() -> runFlush(drainTimeout));
    }
    flusher.shutdown(); // the schedule ends; a flush already running and the drain finish
    try {
      if (!flusher.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        if (!drainTimeout.isZero()) {
          LOG.warn(
              "owly drain did not finish within {} ms; rows stay pending", drainTimeout.toMillis());
        }
        flusher.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      flusher.shutdownNow();
    }
    core.close();
    closeQuietly(ownPool);
  }

  /** Builder; only the data source is required. */
  public static final class Builder {
    private final DataSource dataSource;
    private String nodeId;
    private String collectorUrl;
    private byte[] secret;
    private String serverId;
    private String productVersion;
    private String appVersion;
    private Mode initialMode = Mode.LOCAL;
    private Limits limits;
    private Integer retentionDays;
    private Duration flushInterval = Duration.ofMinutes(60);
    private Duration drainTimeout = Duration.ofSeconds(10);
    private Duration counterInterval = CounterTally.DEFAULT_INTERVAL;
    private Duration flushBudget = Duration.ofSeconds(30);
    private Engine engine = Engine.AOT;
    private int poolSize;
    private Transport transport;
    private Clock clock = Clock.system();

    private Builder(DataSource dataSource) {
      this.dataSource = requireNonNull(dataSource, "dataSource");
    }

    /**
     * This cluster node's id: row claims and batch leases are per node, and a restarted node takes
     * back its own at once. Unique per node and the same across restarts; a Data Center plugin
     * passes the cluster's node id (Jira: {@code ClusterManager.getNodeId()}, null when not
     * clustered; Confluence: the node name an administrator configured, {@code
     * ClusterManager.getThisNodeInformation().humanReadableNodeName()}). Default: {@link
     * JdbcStorage#defaultNodeId()}.
     */
    public Builder withNodeId(String nodeId) {
      this.nodeId = requireNonNull(nodeId, "nodeId");
      return this;
    }

    /** The collector URL (HTTPS; plain HTTP only on loopback). */
    public Builder withCollectorUrl(String url) {
      this.collectorUrl = requireNonNull(url, "url");
      return this;
    }

    /** The shared secret for the otp (at least 20 bytes); generated and stored if never set. */
    public Builder withSecret(byte[] secret) {
      this.secret = requireNonNull(secret, "secret").clone();
      return this;
    }

    public Builder withServerId(String serverId) {
      this.serverId = requireNonNull(serverId, "serverId");
      return this;
    }

    public Builder withProductVersion(String version) {
      this.productVersion = requireNonNull(version, "version");
      return this;
    }

    public Builder withAppVersion(String version) {
      this.appVersion = requireNonNull(version, "version");
      return this;
    }

    /**
     * The mode used when none is stored yet (default local). An administrator's later choice wins
     * over this at every restart.
     */
    public Builder withMode(Mode mode) {
      this.initialMode = requireNonNull(mode, "mode");
      return this;
    }

    public Builder withLimits(Limits limits) {
      this.limits = requireNonNull(limits, "limits");
      return this;
    }

    public Builder withRetentionDays(int days) {
      if (days < 0) {
        throw new IllegalArgumentException("days must be >= 0");
      }
      this.retentionDays = days;
      return this;
    }

    /** How often to flush in the background; {@link Duration#ZERO} disables the schedule. */
    public Builder withFlushInterval(Duration interval) {
      if (requireNonNull(interval, "interval").isNegative()) {
        throw new IllegalArgumentException("interval must not be negative");
      }
      this.flushInterval = interval;
      return this;
    }

    /** How long {@link #close()} may spend on a last flush; zero skips it. */
    public Builder withDrainTimeout(Duration timeout) {
      if (requireNonNull(timeout, "timeout").isNegative()) {
        throw new IllegalArgumentException("timeout must not be negative");
      }
      this.drainTimeout = timeout;
      return this;
    }

    /**
     * How often the counters (stored, rejected, sent, flush outcomes, delivery health) counted in
     * memory are written to the counter table (default 5 s; zero: only on {@link #close()}). A
     * {@code kill -9} loses at most this interval's counts, never events.
     */
    public Builder withCounterInterval(Duration interval) {
      if (requireNonNull(interval, "interval").isNegative()) {
        throw new IllegalArgumentException("interval must not be negative");
      }
      this.counterInterval = interval;
      return this;
    }

    /**
     * The longest {@link #flush()} keeps its caller, and the time within which the sends of one
     * flush start and end (default 30 s): a send starts only while the longest send (15 s with the
     * default transport) remains, or half the budget if that is less. What a flush could not send
     * stays sealed or pending for the next; nothing is counted as an attempt that was not made.
     */
    public Builder withFlushBudget(Duration budget) {
      if (requireNonNull(budget, "budget").isNegative() || budget.isZero()) {
        throw new IllegalArgumentException("budget must be positive");
      }
      this.flushBudget = budget;
      return this;
    }

    public Builder withEngine(Engine engine) {
      this.engine = requireNonNull(engine, "engine");
      return this;
    }

    public Builder withPoolSize(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("pool size must be >= 1");
      }
      this.poolSize = n;
      return this;
    }

    /** Replaces the HTTPS transport (e.g. one built with a custom trust store). */
    public Builder withTransport(Transport transport) {
      this.transport = requireNonNull(transport, "transport");
      return this;
    }

    public Builder withClock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    public Owly build() {
      return new Owly(this);
    }
  }
}
