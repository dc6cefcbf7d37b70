package dev.owly.analytics.spi;

/** WIT {@code types.row}: a stored event row. */
public record Row(long id, NewRow data) {}
