package dev.owly.analytics.spi;

import static java.util.Objects.requireNonNull;

/** WIT {@code transport.header}: one request header the core adds to a send. */
public record Header(String name, String value) {
  public Header {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
  }
}
