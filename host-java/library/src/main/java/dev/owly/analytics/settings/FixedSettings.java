package dev.owly.analytics.settings;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.spi.Config;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.Settings;
import java.security.SecureRandom;

/** Settings held in memory: for tests and the CLI. Only the mode can change after build. */
public final class FixedSettings implements Settings {
  private volatile Mode mode;
  private final String serverId;
  private final String productVersion;
  private final String appVersion;
  private final boolean collectorConfigured;
  private final int retentionDays;
  private final Limits limits;
  private final byte[] secret;

  private FixedSettings(Builder b) {
    this.mode = b.mode;
    this.serverId = b.serverId;
    this.productVersion = b.productVersion;
    this.appVersion = b.appVersion;
    this.collectorConfigured = b.collectorConfigured;
    this.retentionDays = b.retentionDays;
    this.limits = b.limits;
    this.secret = b.secret.clone();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link FixedSettings}; defaults: mode local, fake server id, a random secret. */
  public static final class Builder {
    private Mode mode = Mode.LOCAL;
    private String serverId = "TEST-TEST-TEST-0001";
    private String productVersion = "0.0.0";
    private String appVersion = "0.0.0";
    private boolean collectorConfigured;
    private int retentionDays;
    private Limits limits = Limits.defaults();
    private byte[] secret = randomSecret();

    private Builder() {}

    public Builder withMode(Mode mode) {
      this.mode = requireNonNull(mode, "mode");
      return this;
    }

    public Builder withServerId(String serverId) {
      this.serverId = JdbcSettings.checkServerId(serverId);
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

    public Builder withCollectorConfigured(boolean collectorConfigured) {
      this.collectorConfigured = collectorConfigured;
      return this;
    }

    public Builder withRetentionDays(int retentionDays) {
      if (retentionDays < 0) {
        throw new IllegalArgumentException("retentionDays must be >= 0");
      }
      this.retentionDays = retentionDays;
      return this;
    }

    public Builder withLimits(Limits limits) {
      this.limits = requireNonNull(limits, "limits");
      return this;
    }

    public Builder withSecret(byte[] secret) {
      this.secret = requireNonNull(secret, "secret").clone();
      return this;
    }

    public FixedSettings build() {
      return new FixedSettings(this);
    }
  }

  static byte[] randomSecret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  public void setMode(Mode mode) {
    this.mode = requireNonNull(mode, "mode");
  }

  @Override
  public Config get() {
    return new Config(
        mode, serverId, productVersion, appVersion, collectorConfigured, retentionDays, limits);
  }

  @Override
  public Mode mode() {
    return mode;
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  @Override
  public String toString() {
    return "FixedSettings[mode=" + mode + ", serverId=" + serverId + "]";
  }
}
