package dev.owly.analytics.spi;

/** WIT {@code types.mode}: whether analytics runs and whether anything may leave. */
public enum Mode {
  /** Nothing recorded, nothing sent. */
  OFF,
  /** Recorded locally, never sent (the default). */
  LOCAL,
  /** Recorded and sent to the collector. */
  REMOTE
}
