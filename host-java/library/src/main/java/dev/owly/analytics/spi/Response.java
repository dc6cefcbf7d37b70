package dev.owly.analytics.spi;

/** WIT {@code transport.response}; {@code retryAfter} is the raw header or null. */
public record Response(int status, String retryAfter) {}
