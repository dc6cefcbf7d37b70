package dev.owly.analytics.spi;

/** WIT {@code settings}: read fresh on every call so changes apply at once. */
public interface Settings {
  Config get();

  default Mode mode() {
    return get().mode();
  }

  /** The shared secret (≥ 20 bytes); read only to send or verify. */
  byte[] secret();
}
