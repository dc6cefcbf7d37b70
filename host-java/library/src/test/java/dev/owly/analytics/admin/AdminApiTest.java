package dev.owly.analytics.admin;

import dev.owly.analytics.admin.jdk.JdkAdminServer;
import java.net.URI;

/** The admin API's cases on the JDK's HTTP server. */
class AdminApiTest extends AdminApiContract {
  @Override
  protected Served serve(AdminApi.Builder api) {
    JdkAdminServer server = JdkAdminServer.start(api.build(), 0);
    return new Served() {
      @Override
      public URI base() {
        return URI.create("http://127.0.0.1:" + server.port());
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }
}
