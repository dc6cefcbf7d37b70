package dev.owly.analytics.spi;

/** WIT {@code types.counter}: a rule id or metric name and a count. Never content. */
public record Counter(String name, long value) {}
