package dev.owly.analytics.spi;

/** WIT {@code transport}: POSTs one exact body to the collector. */
public interface Transport {
  /** Throws {@link TransportException} when no HTTP answer was received. */
  Response send(String body);
}
