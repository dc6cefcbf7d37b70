package dev.owly.analytics.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * WIT {@code transport.request}: the exact wire-format body and the headers the core sends beside
 * the transport's own (none in wire format v1).
 */
public record Request(String body, List<Header> headers) {
  public Request {
    requireNonNull(body, "body");
    headers = List.copyOf(requireNonNull(headers, "headers"));
  }

  /** A request without extra headers (wire format v1). */
  public static Request of(String body) {
    return new Request(body, List.of());
  }
}
