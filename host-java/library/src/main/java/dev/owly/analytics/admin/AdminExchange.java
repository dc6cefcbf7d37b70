package dev.owly.analytics.admin;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A request as the admin core reads it: what a {@link PermissionCheck} sees ({@link AdminRequest})
 * plus the query and the body. Each server adapter (servlet, embedded Jetty) implements it over its
 * own request in a few lines and writes the {@link AdminResponse} that {@link AdminApi#handle}
 * returns.
 */
public interface AdminExchange extends AdminRequest {
  /** The query string as sent (without {@code ?}), not percent-decoded; empty when none. */
  Optional<String> rawQuery();

  /**
   * The request body. The core reads at most {@link AdminApi#MAX_BODY_BYTES} + 1 bytes of it, and
   * none when the declared {@code Content-Length} is already too large; the server's read timeout
   * bounds the wait for a client that sends less than it declared.
   */
  InputStream body() throws IOException;
}
