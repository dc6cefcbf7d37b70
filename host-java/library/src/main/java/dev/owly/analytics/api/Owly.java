package dev.owly.analytics.api;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.Engine;
import dev.owly.analytics.core.FlushReport;
import dev.owly.analytics.core.Verdict;
import dev.owly.analytics.settings.JdbcSettings;
import dev.owly.analytics.spi.Capabilities;
import dev.owly.analytics.spi.Clock;
import dev.owly.analytics.spi.Entropy;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.Transport;
import dev.owly.analytics.storage.JdbcStorage;
import dev.owly.analytics.transport.ConfiguredTransport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * <p>{@link #record} never throws into the caller: a rejection or a host failure is a {@link
 * Verdict} with a rule id. Logging carries codes and counts, never event content or secrets.
 */
public final class Owly implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Owly.class);

  private final JdbcStorage storage;
  private final JdbcSettings settings;
  private final Core core;
  private final ScheduledExecutorService scheduler;
  private final Duration drainTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Owly(Builder b) {
    this.storage = JdbcStorage.builder(b.dataSource).withNodeId(b.nodeId).build();
    JdbcSettings.Builder sb = JdbcSettings.builder(b.dataSource);
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
    Transport transport =
        b.transport != null ? b.transport : ConfiguredTransport.following(settings::collectorUrl);
    Capabilities caps =
        new Capabilities(
            storage,
            transport,
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
    Core.Builder cb = Core.builder(caps).withEngine(b.engine);
    if (b.poolSize > 0) {
      cb.withPoolSize(b.poolSize);
    }
    this.core = cb.build();
    this.drainTimeout = b.drainTimeout;
    if (b.flushInterval.isZero()) {
      this.scheduler = null;
    } else {
      this.scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "owly-flush");
                t.setDaemon(true);
                return t;
              });
      long ms = b.flushInterval.toMillis();
      scheduler.scheduleWithFixedDelay(this::scheduledFlush, ms, ms, TimeUnit.MILLISECONDS);
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

  /** Runs one flush now (the delivery model); nothing is sent unless the mode is remote. */
  public FlushReport flush() {
    return core.flush();
  }

  private void scheduledFlush() {
    try {
      FlushReport r = core.flush();
      LOG.debug(
          "owly flush delivered={} retrying={} failed={}", r.delivered(), r.retrying(), r.failed());
    } catch (RuntimeException e) {
      // A failed flush loses nothing (rows stay pending or sealed); try again next interval.
      LOG.warn("owly scheduled flush failed: {}", e.getClass().getSimpleName());
    }
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
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (!drainTimeout.isZero() && settings.mode() == Mode.REMOTE) {
      Thread drain = new Thread(this::scheduledFlush, "owly-drain");
      drain.setDaemon(true);
      drain.start();
      try {
        drain.join(drainTimeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (drain.isAlive()) {
        LOG.warn(
            "owly drain did not finish within {} ms; rows stay pending", drainTimeout.toMillis());
        drain.interrupt();
      }
    }
    core.close();
  }

  /** Builder; only the data source is required. */
  public static final class Builder {
    private final DataSource dataSource;
    private String nodeId = "node-1";
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
    private Engine engine = Engine.AOT;
    private int poolSize;
    private Transport transport;
    private Clock clock = Clock.system();

    private Builder(DataSource dataSource) {
      this.dataSource = requireNonNull(dataSource, "dataSource");
    }

    /** This cluster node's id (row claims and batch leases are per node). */
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
