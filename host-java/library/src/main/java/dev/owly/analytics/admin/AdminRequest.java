package dev.owly.analytics.admin;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The parts of an HTTP request that a {@link PermissionCheck} may look at. {@link #of} wraps the
 * JDK server's exchange; a Data Center plugin implements it over its {@code HttpServletRequest}
 * (four one-line methods).
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

  /** A view of an exchange of the JDK's {@code com.sun.net.httpserver}. */
  static AdminRequest of(HttpExchange exchange) {
    requireNonNull(exchange, "exchange");
    return new AdminRequest() {
      @Override
      public String method() {
        return exchange.getRequestMethod();
      }

      @Override
      public String rawPath() {
        return exchange.getRequestURI().getRawPath();
      }

      @Override
      public Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
      }

      @Override
      public String remoteAddress() {
        InetSocketAddress remote = exchange.getRemoteAddress();
        return remote == null || remote.getAddress() == null
            ? "unknown"
            : remote.getAddress().getHostAddress();
      }

      @Override
      public boolean secure() {
        return exchange instanceof HttpsExchange;
      }
    };
  }
}
