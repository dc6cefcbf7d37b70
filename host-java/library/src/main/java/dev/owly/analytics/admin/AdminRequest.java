package dev.owly.analytics.admin;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The parts of an HTTP request that a {@link PermissionCheck} may look at. The server adapters
 * implement it (as {@link AdminExchange}); a servlet adapter's request also gives the check its
 * {@code HttpServletRequest}, so a plugin asks its host who is signed in.
 */
public interface AdminRequest {
  /** {@code GET}, {@code POST}… */
  String method();

  /** The path as sent, not percent-decoded. */
  String rawPath();

  /** The first value of a request header (names are case-insensitive). */
  Optional<String> header(String name);

  /** The client's address, for rate limits; never used as proof of identity. */
  String remoteAddress();

  /** Whether the request came over TLS (cookies then get {@code Secure}). */
  boolean secure();

  /** The first cookie of that name in the {@code Cookie} header. */
  default Optional<String> cookie(String name) {
    requireNonNull(name, "name");
    Optional<String> header = header("Cookie");
    if (header.isEmpty()) {
      return Optional.empty();
    }
    for (String part : header.get().split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
        return Optional.of(part.substring(eq + 1).trim());
      }
    }
    return Optional.empty();
  }
}
