package dev.owly.analytics.servlet.javax;

import dev.owly.analytics.admin.AdminApi;
import dev.owly.analytics.admin.AdminApiContract;
import java.net.URI;
import javax.servlet.http.HttpServlet;
import org.eclipse.jetty.security.SecurityHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/** An embedded Jetty 10 on 127.0.0.1 (a free port) with one servlet: the container under test. */
final class Jetty10 implements AdminApiContract.Served {
  private final Server server;
  private final ServerConnector connector;

  private Jetty10(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /** The admin servlet at {@code /*} of the root context, with servlet sessions. */
  static Jetty10 serve(AdminApi api) throws Exception {
    return start(new OwlyAdminServlet(api), "/*", null);
  }

  static Jetty10 start(HttpServlet servlet, String mapping, SecurityHandler security)
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
    return new Jetty10(server, connector);
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
