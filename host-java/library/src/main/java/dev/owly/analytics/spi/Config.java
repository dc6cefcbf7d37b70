package dev.owly.analytics.spi;

/** WIT {@code settings.config}: everything but the secret. */
public record Config(
    Mode mode,
    String serverId,
    String productVersion,
    String appVersion,
    boolean collectorConfigured,
    int retentionDays,
    Limits limits) {}
