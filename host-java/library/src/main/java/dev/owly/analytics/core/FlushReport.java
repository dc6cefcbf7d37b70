package dev.owly.analytics.core;

/**
 * WIT {@code delivery.flush-report}; {@code stopped} is the stop reason's string id (e.g. {@code
 * mode.local}), null when the flush ran to the end.
 */
public record FlushReport(
    String stopped,
    int sealed,
    int delivered,
    int rowsDelivered,
    int retrying,
    int failed,
    int quarantined,
    long purged) {

  /** The stop reason as a typed value, null when the flush ran to the end. */
  public StopReason stopReason() {
    return stopped == null ? null : StopReason.ofId(stopped);
  }
}
