package dev.owly.analytics.settings;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.spi.Config;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.Settings;
import dev.owly.analytics.spi.StorageException;
import dev.owly.analytics.storage.Dialect;
import dev.owly.analytics.storage.Durability;
import dev.owly.analytics.storage.Schema;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Settings stored in {@code AO_OWLY_SETTING_AO} (key/value), read fresh on every call so that a
 * change made by the admin page on any node applies before the next send, except {@link #mode()}:
 * the record path asks for it on every event, so one read serves for {@link #MODE_TTL} (a switch
 * made on another node applies within it; one made through this object applies at once), and the
 * send path checks {@link #freshMode()}. Missing or invalid values fall back to safe defaults: mode
 * {@code local}, no collector, keep forever, built-in limits. The secret is created on first use
 * (32 bytes from {@link SecureRandom}) and stored as hex; it is never logged or shown by {@link
 * #toString()}.
 */
public final class JdbcSettings implements Settings {
  private static final Pattern SERVER_ID = Pattern.compile("[A-Z0-9]{4}(-[A-Z0-9]{4}){3}");
  private static final String TABLE = "\"" + Schema.SETTING_TABLE + "\"";
  private static final char[] SERVER_ID_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

  /** How long one read of the mode answers {@link #mode()}: well inside the 1 s promise. */
  public static final Duration MODE_TTL = Duration.ofMillis(500);

  private final DataSource dataSource;
  private final SecureRandom random = new SecureRandom();

  /** The last mode read or written here, and when (System.nanoTime). */
  private record ModeRead(Mode mode, long atNanos) {}

  private final AtomicReference<ModeRead> lastMode = new AtomicReference<>();
  private final Durability durability;
  private final String upsert;

  private JdbcSettings(Builder b) {
    this.dataSource = b.dataSource;
    this.durability = Durability.ensure(dataSource);
    Schema.migrate(dataSource);
    try (Connection c = dataSource.getConnection()) {
      this.upsert = Dialect.of(c).upsert(TABLE, "\"KEY\"", "\"VALUE\"");
    } catch (SQLException e) {
      throw failure("settings.connect", e);
    }
    if (b.productVersion != null) {
      put(SettingKeys.PRODUCT_VERSION, b.productVersion);
    }
    if (b.appVersion != null) {
      put(SettingKeys.APP_VERSION, b.appVersion);
    }
    if (b.serverId != null) {
      put(SettingKeys.SERVER_ID, b.serverId);
    }
  }

  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Builds {@link JdbcSettings}; the host's facts given here are written to the table. */
  public static final class Builder {
    private final DataSource dataSource;
    private String serverId;
    private String productVersion;
    private String appVersion;

    private Builder(DataSource dataSource) {
      this.dataSource = requireNonNull(dataSource, "dataSource");
    }

    /** The host's server id; without one, a random id is created once and kept. */
    public Builder withServerId(String serverId) {
      this.serverId = checkServerId(serverId);
      return this;
    }

    public Builder withProductVersion(String productVersion) {
      this.productVersion = requireNonNull(productVersion, "productVersion");
      return this;
    }

    public Builder withAppVersion(String appVersion) {
      this.appVersion = requireNonNull(appVersion, "appVersion");
      return this;
    }

    public JdbcSettings build() {
      return new JdbcSettings(this);
    }
  }

  static String checkServerId(String serverId) {
    requireNonNull(serverId, "serverId");
    if (!SERVER_ID.matcher(serverId).matches()) {
      throw new IllegalArgumentException("serverId must be XXXX-XXXX-XXXX-XXXX of A-Z and 0-9");
    }
    return serverId;
  }

  @Override
  public Config get() {
    Map<String, String> all = readAll();
    String serverId = all.get(SettingKeys.SERVER_ID);
    if (serverId == null || !SERVER_ID.matcher(serverId).matches()) {
      serverId = putIfAbsent(SettingKeys.SERVER_ID, newServerId());
    }
    return new Config(
        parseMode(all.get(SettingKeys.MODE)),
        serverId,
        all.getOrDefault(SettingKeys.PRODUCT_VERSION, "0.0.0"),
        all.getOrDefault(SettingKeys.APP_VERSION, "0.0.0"),
        !all.getOrDefault(SettingKeys.COLLECTOR_URL, "").isBlank(),
        nonNegative(all.get(SettingKeys.RETENTION_DAYS)),
        new Limits(
            nonNegative(all.get(SettingKeys.MAX_BATCH_ROWS)),
            nonNegative(all.get(SettingKeys.MAX_PAYLOAD_BYTES)),
            nonNegative(all.get(SettingKeys.MAX_ROW_BYTES)),
            nonNegative(all.get(SettingKeys.MAX_BATCHES_PER_FLUSH)),
            nonNegative(all.get(SettingKeys.LEASE_MS)),
            nonNegative(all.get(SettingKeys.RETRY_BASE_MS)),
            nonNegative(all.get(SettingKeys.RETRY_CAP_MS))));
  }

  /** The mode, at most {@link #MODE_TTL} old (see the class comment). */
  @Override
  public Mode mode() {
    ModeRead last = lastMode.get();
    if (last != null && System.nanoTime() - last.atNanos() < MODE_TTL.toNanos()) {
      return last.mode();
    }
    return freshMode();
  }

  /** The mode as stored now (one query): what every send is checked against. */
  public Mode freshMode() {
    ModeRead before = lastMode.get();
    Mode mode = parseMode(read(SettingKeys.MODE).orElse(null));
    // A setMode that ran meanwhile wrote a newer mode than this read may have seen: keep that.
    lastMode.compareAndSet(before, new ModeRead(mode, System.nanoTime()));
    return mode;
  }

  @Override
  public byte[] secret() {
    Optional<String> stored = read(SettingKeys.SECRET_HEX);
    if (stored.isPresent()) {
      try {
        return Hex.decode(stored.get());
      } catch (IllegalArgumentException e) {
        // fall through: an unreadable secret is replaced, as if none had been set
      }
    }
    byte[] fresh = new byte[32];
    random.nextBytes(fresh);
    if (stored.isPresent()) {
      put(SettingKeys.SECRET_HEX, Hex.encode(fresh));
      return fresh;
    }
    return Hex.decode(putIfAbsent(SettingKeys.SECRET_HEX, Hex.encode(fresh)));
  }

  /** The collector URL, if configured. */
  public Optional<String> collectorUrl() {
    return read(SettingKeys.COLLECTOR_URL).filter(s -> !s.isBlank());
  }

  /** Stores the mode; {@link #mode()} answers it at once on this node. */
  public void setMode(Mode mode) {
    put(SettingKeys.MODE, requireNonNull(mode, "mode").name().toLowerCase(Locale.ROOT));
    lastMode.set(new ModeRead(mode, System.nanoTime()));
  }

  /**
   * Sets the mode only if none is stored yet: a plugin's configured default must not undo an
   * administrator's later "switch off" at the next restart.
   */
  public Mode initMode(Mode mode) {
    Mode stored =
        parseMode(
            putIfAbsent(
                SettingKeys.MODE, requireNonNull(mode, "mode").name().toLowerCase(Locale.ROOT)));
    lastMode.set(new ModeRead(stored, System.nanoTime()));
    return stored;
  }

  /** Sets the collector URL; null or blank removes it. */
  public void setCollectorUrl(String url) {
    if (url == null || url.isBlank()) {
      delete(SettingKeys.COLLECTOR_URL);
    } else {
      put(SettingKeys.COLLECTOR_URL, url);
    }
  }

  public void setRetentionDays(int days) {
    if (days < 0) {
      throw new IllegalArgumentException("days must be >= 0");
    }
    put(SettingKeys.RETENTION_DAYS, Integer.toString(days));
  }

  public void setLimits(Limits limits) {
    requireNonNull(limits, "limits");
    put(SettingKeys.MAX_BATCH_ROWS, Integer.toString(limits.maxBatchRows()));
    put(SettingKeys.MAX_PAYLOAD_BYTES, Integer.toString(limits.maxPayloadBytes()));
    put(SettingKeys.MAX_ROW_BYTES, Integer.toString(limits.maxRowBytes()));
    put(SettingKeys.MAX_BATCHES_PER_FLUSH, Integer.toString(limits.maxBatchesPerFlush()));
    put(SettingKeys.LEASE_MS, Integer.toString(limits.leaseMs()));
    put(SettingKeys.RETRY_BASE_MS, Integer.toString(limits.retryBaseMs()));
    put(SettingKeys.RETRY_CAP_MS, Integer.toString(limits.retryCapMs()));
  }

  /** Replaces the shared secret (at least 20 bytes, as OCRA with SHA-1 requires). */
  public void setSecret(byte[] secret) {
    requireNonNull(secret, "secret");
    if (secret.length < 20) {
      throw new IllegalArgumentException("secret must be at least 20 bytes");
    }
    put(SettingKeys.SECRET_HEX, Hex.encode(secret));
  }

  private static Mode parseMode(String value) {
    if (value == null) {
      return Mode.LOCAL;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "off" -> Mode.OFF;
      case "remote" -> Mode.REMOTE;
      default -> Mode.LOCAL; // unknown values never enable sending
    };
  }

  private static int nonNegative(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private String newServerId() {
    StringBuilder id = new StringBuilder(19);
    for (int i = 0; i < 16; i++) {
      if (i > 0 && i % 4 == 0) {
        id.append('-');
      }
      id.append(SERVER_ID_ALPHABET[random.nextInt(SERVER_ID_ALPHABET.length)]);
    }
    return id.toString();
  }

  private Map<String, String> readAll() {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT \"KEY\", \"VALUE\" FROM " + TABLE)) {
      Map<String, String> all = new HashMap<>();
      while (r.next()) {
        all.put(r.getString(1), r.getString(2));
      }
      return all;
    } catch (SQLException e) {
      throw failure("settings.read", e);
    }
  }

  private Optional<String> read(String key) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p =
            c.prepareStatement("SELECT \"VALUE\" FROM " + TABLE + " WHERE \"KEY\" = ?")) {
      p.setString(1, key);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("settings.read", e);
    }
  }

  /**
   * One upsert ({@code MERGE} on H2, {@code INSERT … ON CONFLICT} on PostgreSQL): nodes starting
   * together and writing the same new key never fail. H2's MERGE can still lose a race against a
   * concurrent insert of the same key with a duplicate key; the key exists then, so once more
   * updates it.
   */
  private void put(String key, String value) {
    for (int attempt = 1; ; attempt++) {
      try {
        inTransaction(
            c -> {
              try (PreparedStatement u = c.prepareStatement(upsert)) {
                u.setString(1, key);
                u.setString(2, value);
                u.executeUpdate();
              }
              return null;
            });
        return;
      } catch (SQLException e) {
        if (attempt >= 3 || !"23505".equals(e.getSQLState())) {
          throw failure("settings.write", e);
        }
      }
    }
  }

  /** Inserts unless present; returns the value that is stored afterwards (another node's wins). */
  private String putIfAbsent(String key, String value) {
    try {
      return inTransaction(
          c -> {
            insert(c, key, value);
            return value;
          });
    } catch (SQLException e) {
      return read(key).orElseThrow(() -> failure("settings.write", e));
    }
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** One transaction, durable (see {@link Durability}), rolled back on any failure. */
  private <T> T inTransaction(Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        durability.begin(c);
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }

  private static void insert(Connection c, String key, String value) throws SQLException {
    try (PreparedStatement i =
        c.prepareStatement("INSERT INTO " + TABLE + " (\"KEY\", \"VALUE\") VALUES (?, ?)")) {
      i.setString(1, key);
      i.setString(2, value);
      i.executeUpdate();
    }
  }

  private void delete(String key) {
    try {
      inTransaction(
          c -> {
            try (PreparedStatement d =
                c.prepareStatement("DELETE FROM " + TABLE + " WHERE \"KEY\" = ?")) {
              d.setString(1, key);
              d.executeUpdate();
            }
            return null;
          });
    } catch (SQLException e) {
      throw failure("settings.write", e);
    }
  }

  private static StorageException failure(String code, SQLException e) {
    return new StorageException(StorageException.Kind.UNAVAILABLE, code, e);
  }

  @Override
  public String toString() {
    return "JdbcSettings[table=" + Schema.SETTING_TABLE + "]";
  }
}
