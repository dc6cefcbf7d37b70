package dev.owly.analytics.standalone;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.admin.AdminApi;
import dev.owly.analytics.admin.AdminExchange;
import dev.owly.analytics.admin.AdminResponse;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The standalone admin page and API: the library's {@link AdminApi} on {@link JettyServer}
 * (127.0.0.1). What Jetty refuses by itself (a bad request line, an ambiguous path, a head too
 * large) is answered as JSON with the security headers too.
 */
public final class AdminServer implements AutoCloseable {
  private final JettyServer server;

  private AdminServer(JettyServer server) {
    this.server = server;
  }

  /**
   * Serves the API on 127.0.0.1:{@code port} (0 picks a free one), answering only requests whose
   * {@code Host} is this address ({@code 127.0.0.1:PORT} or {@code localhost:PORT}): a page on a
   * name that rebinds to 127.0.0.1 gets 421.
   */
  public static AdminServer start(AdminApi.Builder api, int port) {
    requireNonNull(api, "api");
    return new AdminServer(
        JettyServer.start(
            "owly-admin",
            port,
            null,
            AdminApi.MAX_BODY_BYTES,
            bound ->
                new CoreHandler(
                    api.withAllowedHosts(List.of("127.0.0.1:" + bound, "localhost:" + bound))
                        .build()),
            new Errors()));
  }

  public int port() {
    return server.port();
  }

  /** The admin page, e.g. {@code http://127.0.0.1:8080/owly/admin/}. */
  public URI pageUri() {
    return URI.create("http://127.0.0.1:" + port() + AdminApi.PAGE_PATH);
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "AdminServer[" + pageUri() + "]";
  }

  /** Every request to the core (blocking: the core reads a bounded body). */
  private static final class CoreHandler extends Handler.Abstract {
    private final AdminApi api;

    CoreHandler(AdminApi api) {
      this.api = api;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      AdminResponse answer = api.handle(new JettyExchange(request));
      response.setStatus(answer.status());
      for (AdminResponse.Header h : answer.headers()) {
        response.getHeaders().add(h.name(), h.value());
      }
      if (answer.closeConnection()) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.contentLength());
      response.write(true, ByteBuffer.wrap(answer.body()), callback);
      return true;
    }
  }

  private record JettyExchange(Request request) implements AdminExchange {
    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public String rawPath() {
      return request.getHttpURI().getPath();
    }

    @Override
    public Optional<String> rawQuery() {
      return Optional.ofNullable(request.getHttpURI().getQuery());
    }

    @Override
    public Optional<String> header(String name) {
      return Optional.ofNullable(request.getHeaders().get(name));
    }

    @Override
    public String remoteAddress() {
      String address = Request.getRemoteAddr(request);
      return address == null ? "unknown" : address;
    }

    @Override
    public boolean secure() {
      return request.isSecure();
    }

    @Override
    public InputStream body() {
      return Content.Source.asInputStream(request);
    }

    @Override
    public String toString() {
      return "JettyExchange[" + request.getMethod() + "]";
    }
  }

  /** Jetty's own refusals, in the API's shape: {@code {"error":"…"}} and the security headers. */
  private static final class Errors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      Object status = request.getAttribute(ERROR_STATUS);
      int code = status instanceof Integer i ? i : 500;
      String word =
          switch (code) {
            case 400 -> "bad-request";
            case 404 -> "not-found";
            case 408 -> "timeout";
            case 413, 414, 431 -> "too-large";
            default -> code >= 500 ? "internal" : "bad-request";
          };
      AdminApi.SECURITY_HEADERS.forEach((k, v) -> response.getHeaders().put(k, v));
      byte[] body = ("{\"error\":\"" + word + "\"}").getBytes(StandardCharsets.UTF_8);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, ByteBuffer.wrap(body), callback);
      return true;
    }
  }
}
