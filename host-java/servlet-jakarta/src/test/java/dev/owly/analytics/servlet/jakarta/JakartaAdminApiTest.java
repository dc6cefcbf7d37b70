package dev.owly.analytics.servlet.jakarta;

import dev.owly.analytics.admin.AdminApi;
import dev.owly.analytics.admin.AdminApiContract;

/**
 * The admin API's cases through {@link OwlyAdminServlet} in a real Jetty 12 (ee10)
 * (jakarta.servlet).
 */
class JakartaAdminApiTest extends AdminApiContract {
  @Override
  protected Served serve(AdminApi.Builder api) throws Exception {
    return Jetty12.serve(api.build());
  }

  @Override
  protected boolean serverRefusalsCarryTheHeaders() {
    return false;
  }
}
