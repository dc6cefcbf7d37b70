package dev.owly.analytics.settings;

/** The keys of {@code AO_OWLY_SETTING_AO}; the README documents each. */
public final class SettingKeys {
  private SettingKeys() {}

  public static final String MODE = "mode";
  public static final String COLLECTOR_URL = "collector.url";
  public static final String RETENTION_DAYS = "retention.days";
  public static final String SERVER_ID = "server.id";
  public static final String PRODUCT_VERSION = "product.version";
  public static final String APP_VERSION = "app.version";
  public static final String SECRET_HEX = "secret.hex";
  public static final String MAX_BATCH_ROWS = "limits.max-batch-rows";
  public static final String MAX_PAYLOAD_BYTES = "limits.max-payload-bytes";
  public static final String MAX_ROW_BYTES = "limits.max-row-bytes";
  public static final String MAX_BATCHES_PER_FLUSH = "limits.max-batches-per-flush";
  public static final String LEASE_MS = "limits.lease-ms";
  public static final String RETRY_BASE_MS = "limits.retry-base-ms";
  public static final String RETRY_CAP_MS = "limits.retry-cap-ms";
}
