package dev.owly.analytics.spi;

/** WIT {@code types.batch}: a sealed batch, enough to resend it byte-identically. */
public record Batch(
    long id, long nonce, String dataEncoded, String contentHash, int rowCount, int attempts) {}
