package dev.owly.analytics.core;

/** WIT {@code inspect.verified}: a payload that passed verification. */
public record Verified(
    long nonce, String contentHash, String tenant, int rowCount, int stepOffset) {}
