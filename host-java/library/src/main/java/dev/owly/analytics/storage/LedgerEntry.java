package dev.owly.analytics.storage;

/**
 * One row of the ledger as an administrator sees it.
 *
 * @param status {@code sealed}, {@code retry}, {@code delivered} or {@code failed}
 * @param nextAttemptAt Unix ms, null once settled for good
 * @param lastStatus the HTTP status of the last attempt, null if none or a transport error
 * @param reason a rule-like reason code for a failure, never content
 * @param settledAt Unix ms when it was delivered or failed, null before
 */
public record LedgerEntry(
    long id,
    long nonce,
    String contentHash,
    String dataEncoded,
    int rowCount,
    String status,
    int attempts,
    long sealedAt,
    Long nextAttemptAt,
    Integer lastStatus,
    String reason,
    Long settledAt) {}
