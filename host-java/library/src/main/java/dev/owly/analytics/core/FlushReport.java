package dev.owly.analytics.core;

/** WIT {@code delivery.flush-report}; {@code stopped} is null when the flush ran to the end. */
public record FlushReport(
    String stopped,
    int sealed,
    int delivered,
    int rowsDelivered,
    int retrying,
    int failed,
    int quarantined,
    long purged) {}
