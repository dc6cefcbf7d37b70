package dev.owly.analytics.spi;

import static java.util.Objects.requireNonNull;

/** Everything the core imports, bundled for one instance pool. */
public record Capabilities(
    Storage storage,
    Transport transport,
    Clock clock,
    Entropy entropy,
    Settings settings,
    Log log) {
  public Capabilities {
    requireNonNull(storage, "storage");
    requireNonNull(transport, "transport");
    requireNonNull(clock, "clock");
    requireNonNull(entropy, "entropy");
    requireNonNull(settings, "settings");
    requireNonNull(log, "log");
  }
}
