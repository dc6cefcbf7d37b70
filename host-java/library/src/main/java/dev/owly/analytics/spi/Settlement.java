package dev.owly.analytics.spi;

/** WIT {@code storage.settlement}: how one send attempt ended. */
public sealed interface Settlement {
  /** The collector accepted the batch. */
  record Delivered(int status) implements Settlement {}

  /** Retry no earlier than {@code atMs}; {@code status} is null for a transport error. */
  record Retry(long atMs, Integer status) implements Settlement {}

  /** Failed for good; kept in the ledger, never resent. */
  record Failed(Integer status, String reason) implements Settlement {}
}
