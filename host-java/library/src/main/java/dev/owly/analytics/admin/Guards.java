package dev.owly.analytics.admin;

import dev.owly.analytics.Text;
import dev.owly.analytics.http.BoundedBody;
import dev.owly.analytics.http.MediaTypes;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/** The request checks of the admin API, independent of any server: one home for each. */
final class Guards {
  private Guards() {}

  /** The session's token in {@code X-Owly-CSRF}, compared in constant time. */
  static boolean csrfTokenMatches(AdminRequest request, Caller caller) {
    Optional<String> sent = request.header("X-Owly-CSRF");
    if (caller.csrf() == null || caller.csrf().isEmpty() || sent.isEmpty()) {
      return false;
    }
    // Digests of both: equal length, so neither content nor length leaks through timing.
    return MessageDigest.isEqual(
        StandaloneAccess.sha256(sent.get()), StandaloneAccess.sha256(caller.csrf()));
  }

  /** {@code application/json}, optionally {@code ; charset=utf-8}, and nothing else. */
  static boolean jsonContentType(AdminRequest request) {
    return request.header("Content-Type").map(MediaTypes::isJson).orElse(false);
  }

  /** An {@code Origin} (when sent) must be this server; so must {@code Sec-Fetch-Site}. */
  static boolean sameOrigin(AdminRequest request) {
    Optional<String> site = request.header("Sec-Fetch-Site");
    if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
      return false;
    }
    Optional<String> origin = request.header("Origin");
    if (origin.isEmpty()) {
      return true;
    }
    Optional<String> host = request.header("Host");
    if (host.isEmpty()) {
      return false;
    }
    String expected = (request.secure() ? "https://" : "http://") + host.get();
    return origin.get().equalsIgnoreCase(expected);
  }

  /** A request body that was refused: too large (413) or not a JSON object (400). */
  static final class BodyRefused extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient AdminResponse response;

    BodyRefused(AdminResponse response) {
      super(null, null, false, false);
      this.response = response;
    }

    AdminResponse response() {
      return response;
    }
  }

  /**
   * Reads at most {@code max} bytes of a JSON object. A declared length over the limit is refused
   * before reading a byte of it; a longer body is refused as soon as it passes the limit. Either
   * way the rest is skipped when it is small enough to arrive soon ({@link
   * BoundedBody#skipRefused}), never kept.
   */
  static Map<String, Object> jsonBody(AdminExchange request, int max)
      throws IOException, BodyRefused {
    Optional<String> length = request.header("Content-Length");
    // The stream is the server's: read from, never closed (closing may end the exchange).
    byte[] bytes =
        length.isPresent() && BoundedBody.declaredTooLarge(length.get(), max)
            ? null
            : BoundedBody.read(request.body(), max);
    if (bytes == null) {
      throw tooLarge(); // the rest is skipped by finishBody
    }
    String text;
    try {
      text = Text.strictUtf8(bytes);
    } catch (CharacterCodingException e) {
      throw new BadRequestException("malformed-json");
    }
    return JsonBody.object(text);
  }

  /**
   * Skips what is left of the request's body (refused, or never read because the answer needed none
   * of it: a 401 to a POST), bounded ({@link BoundedBody#skipRest}); false when the connection
   * should close instead.
   */
  static boolean finishBody(AdminExchange request) throws IOException {
    Optional<String> length = request.header("Content-Length");
    boolean body =
        length.map(l -> !l.strip().equals("0")).orElse(false)
            || request.header("Transfer-Encoding").isPresent();
    if (!body) {
      return true;
    }
    return BoundedBody.skipRest(request.body(), length.orElse(null));
  }

  private static BodyRefused tooLarge() {
    return new BodyRefused(AdminResponse.error(413, "too-large").closing());
  }

  /** The first value of {@code name} in a raw query string, percent-decoded as UTF-8. */
  static Optional<String> queryParameter(String rawQuery, String name) {
    if (rawQuery.isEmpty() || rawQuery.length() > 4096) {
      return Optional.empty();
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      try {
        if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
          return Optional.of(
              eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      } catch (IllegalArgumentException e) {
        throw new BadRequestException("malformed-query");
      }
    }
    return Optional.empty();
  }
}
