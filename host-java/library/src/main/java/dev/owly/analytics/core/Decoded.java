package dev.owly.analytics.core;

/** WIT {@code inspect.decoded}: a payload taken apart (otp not checked). */
public record Decoded(
    long nonce, String contentHash, boolean hashOk, String otp, String dataJson, int rowCount) {}
