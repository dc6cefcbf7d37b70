package dev.owly.analytics.servlet.javax;

import dev.owly.analytics.admin.AdminApi;
import dev.owly.analytics.admin.AdminApiContract;

/** The admin API's cases through {@link OwlyAdminServlet} in a real Jetty 10 (javax.servlet). */
class JavaxAdminApiTest extends AdminApiContract {
  @Override
  protected Served serve(AdminApi.Builder api) throws Exception {
    return Jetty10.serve(api.build());
  }

  @Override
  protected boolean serverRefusalsCarryTheHeaders() {
    return false;
  }
}
