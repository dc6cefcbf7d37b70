package dev.owly.analytics.servlet.jakarta;

import dev.owly.analytics.admin.AdminApi;
import dev.owly.analytics.admin.AdminApiContract;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.security.SecurityHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An embedded Jetty 12 (ee10, jakarta.servlet 6.0) on 127.0.0.1 (a free port) with one servlet: the
 * container under test.
 */
final class Jetty12 implements AdminApiContract.Served {
  private final Server server;
  private final ServerConnector connector;

  private Jetty12(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /** The admin servlet at {@code /*} of the root context, with servlet sessions. */
  static Jetty12 serve(AdminApi api) throws Exception {
    return start(new OwlyAdminServlet(api), "/*", null);
  }

  static Jetty12 start(HttpServlet servlet, String mapping, SecurityHandler security)
      throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
    context.setContextPath("/");
    if (security != null) {
      context.setSecurityHandler(security);
    }
    context.addServlet(new ServletHolder(servlet), mapping);
    server.setHandler(context);
    server.start();
    return new Jetty12(server, connector);
  }

  @Override
  public URI base() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
