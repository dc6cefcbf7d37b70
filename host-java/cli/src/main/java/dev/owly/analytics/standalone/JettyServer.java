package dev.owly.analytics.standalone;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.OwlyException;
import dev.owly.analytics.http.BoundedBody;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The standalone servers' embedded Jetty 12 (the demo's admin page and API, the reference
 * collector), bound to 127.0.0.1, with the limits that keep hostile clients contained, Jetty's own
 * where it has them:
 *
 * <ul>
 *   <li>a connection that has not sent a whole request head within {@link #HEADER_TIMEOUT_MS} is
 *       closed, however slowly it drips bytes (a {@link Connection.Listener}: the idle timeout
 *       alone would let a drip keep it); one that sends nothing for {@link #IDLE_TIMEOUT_MS} is
 *       closed (Jetty's idle timeout, between requests and while reading a body);
 *   <li>a body that arrives slower than {@link #MIN_BODY_BYTES_PER_SECOND} fails the read ({@link
 *       MinimumDataRateHandler}), so a short body holds a worker briefly only; a declared {@code
 *       Content-Length} over a handler's limit is answered before a byte of it is read, never
 *       waited for (the handlers' own checks); {@link SizeLimitHandler} is the backstop;
 *   <li>request heads are parsed by the selector, not by workers: slow heads hold no thread. The
 *       workers are a bounded {@link QueuedThreadPool} ({@link #MAX_THREADS}); connections are at
 *       most {@link #MAX_CONNECTIONS} ({@link NetworkConnectionLimit}), which bounds the jobs
 *       queued;
 *   <li>request heads are at most 8 KiB; the server's version is not sent.
 * </ul>
 */
public final class JettyServer implements AutoCloseable {
  public static final long HEADER_TIMEOUT_MS = 10_000;
  public static final long IDLE_TIMEOUT_MS = 10_000;
  public static final int MIN_BODY_BYTES_PER_SECOND = 1024;
  public static final int MAX_THREADS = 48;
  public static final int MAX_CONNECTIONS = 512;
  public static final int MAX_HEADER_BYTES = 8 * 1024;

  private final Server server;
  private final ServerConnector connector;
  private final boolean secure;

  private JettyServer(Server server, ServerConnector connector, boolean secure) {
    this.server = server;
    this.connector = connector;
    this.secure = secure;
  }

  /**
   * Starts {@code handler} on 127.0.0.1:{@code port} (0 picks a free one), HTTPS with {@code tls}
   * when not null, for a handler that reads bodies of at most {@code maxBodyBytes}; {@code errors}
   * answers what Jetty refuses itself (a bad request line, a head too large), null for Jetty's
   * default.
   */
  public static JettyServer start(
      String name,
      int port,
      SSLContext tls,
      long maxBodyBytes,
      Handler handler,
      Request.Handler errors) {
    requireNonNull(handler, "handler");
    return start(name, port, tls, maxBodyBytes, boundPort -> handler, errors);
  }

  /**
   * Like {@link #start(String, int, SSLContext, long, Handler, Request.Handler)}, with the handler
   * made once the port is bound (a handler that checks the {@code Host} it is reached under).
   */
  public static JettyServer start(
      String name,
      int port,
      SSLContext tls,
      long maxBodyBytes,
      IntFunction<Handler> handler,
      Request.Handler errors) {
    requireNonNull(name, "name");
    requireNonNull(handler, "handler");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range");
    }
    // Jetty advises against a bounded job queue; the connection limit bounds it in effect (an
    // HTTP/1.1 connection has one request at a time).
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4, 60_000);
    threads.setName(name);
    threads.setDaemon(true);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(MAX_HEADER_BYTES);
    ServerConnector connector =
        tls == null
            ? new ServerConnector(server, 1, 1, new HttpConnectionFactory(http))
            : new ServerConnector(
                server,
                1,
                1,
                new SslConnectionFactory(sslFactory(tls), "http/1.1"),
                new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_TIMEOUT_MS);
    connector.addBean(headerTimeout(server.getScheduler()));
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
    if (errors != null) {
      server.setErrorHandler(errors);
    }
    server.setStopTimeout(2_000);
    try {
      connector.open(); // bound now, so the handler can know its port; start() keeps it
      // A backstop: no handler here reads more than its body plus the skipped rest of one.
      SizeLimitHandler sizes =
          new SizeLimitHandler(maxBodyBytes + BoundedBody.SKIP_BYTES + 64 * 1024, -1);
      sizes.setHandler(
          new MinimumDataRateHandler(
              handler.apply(connector.getLocalPort()), MIN_BODY_BYTES_PER_SECOND, 0));
      server.setHandler(sizes);
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
        connector.close();
      } catch (Exception ignored) {
        // the bind failed: nothing runs
      }
      throw new OwlyException(name + ".bind", e);
    }
    return new JettyServer(server, connector, tls != null);
  }

  private static SslContextFactory.Server sslFactory(SSLContext tls) {
    SslContextFactory.Server f = new SslContextFactory.Server();
    f.setSslContext(tls);
    return f;
  }

  /**
   * Closes a connection whose first request head is not complete in time. The idle timeout alone
   * would let a client that drips a byte every few seconds keep a connection for ever.
   */
  private static Connection.Listener headerTimeout(Scheduler scheduler) {
    return new Connection.Listener() {
      @Override
      public void onOpened(Connection connection) {
        scheduler.schedule(
            () -> {
              if (connection.getMessagesIn() == 0 && connection.getEndPoint().isOpen()) {
                connection.getEndPoint().close();
              }
            },
            HEADER_TIMEOUT_MS,
            TimeUnit.MILLISECONDS);
      }
    };
  }

  public int port() {
    return connector.getLocalPort();
  }

  public boolean secure() {
    return secure;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new OwlyException("server.stop", e);
    }
  }

  @Override
  public String toString() {
    return "JettyServer[127.0.0.1:" + port() + (secure ? ", https" : "") + "]";
  }
}
