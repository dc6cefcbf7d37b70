package dev.owly.analytics.spi;

/** WIT {@code clock}. */
@FunctionalInterface
public interface Clock {
  long nowMs();

  static Clock system() {
    return System::currentTimeMillis;
  }
}
