package dev.owly.analytics.standalone;

import dev.owly.analytics.admin.AdminApi;
import dev.owly.analytics.admin.AdminApiContract;
import java.net.URI;

/** The admin API's cases on the standalone host's embedded Jetty 12 ({@link AdminServer}). */
class StandaloneAdminApiTest extends AdminApiContract {
  @Override
  protected Served serve(AdminApi api) {
    AdminServer server = AdminServer.start(api, 0);
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
