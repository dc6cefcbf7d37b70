package dev.owly.analytics.servlet.jakarta;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.admin.AdminExchange;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A servlet request as the admin core reads it. A {@link ServletPermissionCheck} gets the servlet
 * request back through {@link #servletRequest()}.
 */
public final class ServletAdminExchange implements AdminExchange {
  private final HttpServletRequest request;
  private final String path;

  ServletAdminExchange(HttpServletRequest request, String prefix) {
    this.request = requireNonNull(request, "request");
    // getRequestURI is not decoded: the core checks the raw path itself.
    String uri = request.getRequestURI();
    String rest = uri.substring(Math.min(uri.length(), request.getContextPath().length()));
    this.path =
        !prefix.isEmpty() && rest.startsWith(prefix + "/") ? rest.substring(prefix.length()) : rest;
  }

  /** The request as the container gave it (for the host's user manager). */
  public HttpServletRequest servletRequest() {
    return request;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public String rawPath() {
    return path;
  }

  @Override
  public Optional<String> rawQuery() {
    return Optional.ofNullable(request.getQueryString());
  }

  @Override
  public Optional<String> header(String name) {
    return Optional.ofNullable(request.getHeader(name));
  }

  @Override
  public String remoteAddress() {
    String address = request.getRemoteAddr();
    return address == null ? "unknown" : address;
  }

  @Override
  public boolean secure() {
    return request.isSecure();
  }

  @Override
  public InputStream body() throws IOException {
    return request.getInputStream();
  }

  /** Never shows headers or cookies. */
  @Override
  public String toString() {
    return "ServletAdminExchange[" + request.getMethod() + " " + path + "]";
  }
}
