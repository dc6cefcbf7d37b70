package dev.owly.analytics.spi;

/** WIT {@code storage.new-batch}: a batch about to be sealed (row ids ascending). */
public record NewBatch(
    long nonce, String dataEncoded, String contentHash, long[] rowIds, long nowMs) {}
