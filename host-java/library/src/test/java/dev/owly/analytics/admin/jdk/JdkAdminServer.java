package dev.owly.analytics.admin.jdk;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsExchange;
import dev.owly.analytics.OwlyException;
import dev.owly.analytics.admin.AdminApi;
import dev.owly.analytics.admin.AdminExchange;
import dev.owly.analytics.admin.AdminResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The admin core on the JDK's {@code com.sun.net.httpserver}, bound to 127.0.0.1: the library's own
 * tests run {@code AdminApiContract} on it (the library depends on no server; the standalone host
 * serves the core on Jetty, a plugin through the servlet adapters).
 */
public final class JdkAdminServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  private JdkAdminServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a server on 127.0.0.1 ({@code port} 0 picks a free one) answering every path. */
  public static JdkAdminServer start(AdminApi api, int port) {
    requireNonNull(api, "api");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range");
    }
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      ExecutorService executor =
          Executors.newFixedThreadPool(
              4,
              r -> {
                Thread t = new Thread(r, "owly-admin");
                t.setDaemon(true);
                return t;
              });
      server.setExecutor(executor);
      server.createContext("/", ex -> handle(api, ex));
      server.start();
      return new JdkAdminServer(server, executor);
    } catch (IOException e) {
      throw new OwlyException("admin.bind", e);
    }
  }

  private static void handle(AdminApi api, HttpExchange ex) throws IOException {
    try (ex) {
      AdminResponse r = api.handle(exchange(ex));
      for (AdminResponse.Header h : r.headers()) {
        ex.getResponseHeaders().add(h.name(), h.value());
      }
      if (r.closeConnection()) {
        ex.getResponseHeaders().set("Connection", "close");
      }
      boolean head = ex.getRequestMethod().equals("HEAD");
      if (head || r.body().length == 0) {
        if (r.contentLength() > 0) {
          ex.getResponseHeaders().set("Content-Length", Long.toString(r.contentLength()));
        }
        ex.sendResponseHeaders(r.status(), -1);
      } else {
        ex.sendResponseHeaders(r.status(), r.body().length);
        ex.getResponseBody().write(r.body());
      }
    }
  }

  private static AdminExchange exchange(HttpExchange ex) {
    return new AdminExchange() {
      @Override
      public String method() {
        return ex.getRequestMethod();
      }

      @Override
      public String rawPath() {
        return ex.getRequestURI().getRawPath();
      }

      @Override
      public Optional<String> rawQuery() {
        return Optional.ofNullable(ex.getRequestURI().getRawQuery());
      }

      @Override
      public Optional<String> header(String name) {
        return Optional.ofNullable(ex.getRequestHeaders().getFirst(name));
      }

      @Override
      public String remoteAddress() {
        InetSocketAddress remote = ex.getRemoteAddress();
        return remote == null || remote.getAddress() == null
            ? "unknown"
            : remote.getAddress().getHostAddress();
      }

      @Override
      public boolean secure() {
        return ex instanceof HttpsExchange;
      }

      @Override
      public InputStream body() {
        return ex.getRequestBody();
      }
    };
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The admin page, e.g. {@code http://127.0.0.1:8080/owly/admin/}. */
  public URI pageUri() {
    return URI.create("http://127.0.0.1:" + port() + AdminApi.PAGE_PATH);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "JdkAdminServer[" + pageUri() + "]";
  }
}
