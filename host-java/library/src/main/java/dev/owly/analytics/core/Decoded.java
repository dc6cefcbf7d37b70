package dev.owly.analytics.core;

/**
 * WIT {@code inspect.decoded}: a payload taken apart (otp not checked); {@code tenant} is the
 * {@code ProductTenant} all its rows share.
 */
public record Decoded(
    long nonce,
    String contentHash,
    boolean hashOk,
    String otp,
    String dataJson,
    int rowCount,
    String tenant) {}
