package dev.owly.analytics.spi;

/** WIT {@code settings.limits}: 0 means the core's built-in value; higher values are clamped. */
public record Limits(
    int maxBatchRows,
    int maxPayloadBytes,
    int maxRowBytes,
    int maxBatchesPerFlush,
    int leaseMs,
    int retryBaseMs,
    int retryCapMs) {
  public static Limits defaults() {
    return new Limits(0, 0, 0, 0, 0, 0, 0);
  }
}
