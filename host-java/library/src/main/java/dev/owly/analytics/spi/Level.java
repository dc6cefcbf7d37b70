package dev.owly.analytics.spi;

/** WIT {@code log.level}. */
public enum Level {
  DEBUG,
  INFO,
  WARN,
  ERROR
}
