package dev.owly.analytics.admin;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An answer of the admin core, for an adapter to write out as it is: the status, the headers in
 * order (the {@link AdminApi#SECURITY_HEADERS} included), the body and its declared length.
 *
 * <p>For {@code HEAD} the body is empty and {@link #contentLength()} is the length a {@code GET}
 * would have had. The core has skipped what the answer left of the request body when it was small
 * enough to arrive soon; {@link #closeConnection()} says it was not (a larger declared body, a slow
 * one), so the adapter sends {@code Connection: close} and the server does not read on.
 */
public final class AdminResponse {
  static final String JSON = "application/json; charset=utf-8";

  /** One response header. */
  public record Header(String name, String value) {
    public Header {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
    }
  }

  private final int status;
  private final List<Header> headers = new ArrayList<>();
  private byte[] body = new byte[0];
  private long contentLength;
  private boolean close;

  private AdminResponse(int status) {
    this.status = status;
  }

  /** An answer without a body (204, 302). */
  static AdminResponse empty(int status) {
    return new AdminResponse(status);
  }

  /** A JSON answer ({@code application/json; charset=utf-8}). */
  static AdminResponse json(int status, String json) {
    return bytes(status, JSON, json.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code {"error":"<code>"}}. */
  static AdminResponse error(int status, String code) {
    return json(status, "{\"error\":\"" + code + "\"}");
  }

  static AdminResponse bytes(int status, String contentType, byte[] body) {
    AdminResponse r = new AdminResponse(status).header("Content-Type", contentType);
    r.body = body;
    r.contentLength = body.length;
    return r;
  }

  /** Sets a header, replacing one of the same name (names compared case-insensitively). */
  AdminResponse header(String name, String value) {
    headers.removeIf(h -> h.name().equalsIgnoreCase(name));
    headers.add(new Header(name, value));
    return this;
  }

  /** Adds a header even if one of that name is there ({@code Set-Cookie}). */
  AdminResponse addHeader(String name, String value) {
    headers.add(new Header(name, value));
    return this;
  }

  /** The rest of the request body is not waited for: answer, then close the connection. */
  AdminResponse closing() {
    this.close = true;
    return this;
  }

  /** The same answer without its body, for {@code HEAD}. */
  AdminResponse withoutBody() {
    this.body = new byte[0];
    return this;
  }

  public int status() {
    return status;
  }

  /** In order; the adapter writes each (a name may repeat, e.g. {@code Set-Cookie}). */
  public List<Header> headers() {
    return Collections.unmodifiableList(headers);
  }

  /** The bytes to write (empty for {@code HEAD} and bodiless answers). */
  public byte[] body() {
    return body;
  }

  /** The {@code Content-Length} to declare (for {@code HEAD}: that of the {@code GET}). */
  public long contentLength() {
    return contentLength;
  }

  public boolean closeConnection() {
    return close;
  }

  /** Never shows the body or the cookies. */
  @Override
  public String toString() {
    return "AdminResponse[" + status + ", " + contentLength + " bytes]";
  }
}
