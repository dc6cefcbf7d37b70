package dev.owly.analytics.servlet.javax;

import com.atlassian.sal.api.user.UserKey;
import com.atlassian.sal.api.user.UserManager;
import dev.owly.analytics.admin.Access;
import dev.owly.analytics.admin.AdminApi;
import dev.owly.analytics.admin.Caller;
import dev.owly.analytics.admin.PermissionCheck;
import dev.owly.analytics.api.Owly;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The plugin code of docs/embedding.md: each {@code // docs:NAME} … {@code // end} region is in the
 * document word for word ({@link EmbeddingDocTest}), and {@link SalPermissionCheckTest} runs it in
 * Jetty behind the container's own login.
 */
final class EmbeddingExample {
  private EmbeddingExample() {}

  // docs:component
  /** The plugin's one Owly: made when the plugin starts, closed when it stops. */
  public static final class OwlyComponent implements AutoCloseable {
    private final Owly owly;
    private final AdminApi adminApi;

    public OwlyComponent(
        DataSource dataSource, String nodeId, String serverId, UserManager userManager) {
      this.owly =
          Owly.builder(dataSource) // the product's database: the tables are created there
              .withNodeId(nodeId) // this cluster node, for claims and leases
              .withServerId(serverId)
              .withProductVersion("10.3.0")
              .withAppVersion("1.0.0")
              .withFlushInterval(Duration.ZERO) // the host's scheduler runs flushJob()
              .withDrainTimeout(Duration.ofSeconds(10)) // close() sends for at most this long
              .build();
      this.adminApi = AdminApi.builder(owly, permissionCheck(userManager)).build();
    }

    public Owly owly() {
      return owly;
    }

    public AdminApi adminApi() {
      return adminApi;
    }

    /** The job the host's scheduler runs once per cluster, e.g. hourly. Never throws. */
    public void flushJob() {
      owly.flush();
    }

    @Override
    public void close() {
      owly.close();
    }
  }

  // end

  // docs:permission-check
  static PermissionCheck permissionCheck(UserManager userManager) {
    return ServletPermissionCheck.of(
        request -> {
          UserKey user = userManager.getRemoteUserKey(request);
          if (user == null) {
            return Caller.anonymous();
          }
          Access access = userManager.isSystemAdmin(user) ? Access.ADMIN : Access.USER;
          return new Caller(access, user.getStringValue(), SessionCsrf.token(request));
        });
  }

  // end

  // docs:servlet
  /** Declared in atlassian-plugin.xml; the plugin system passes the component in. */
  public static final class OwlyServlet extends OwlyAdminServlet {
    private static final long serialVersionUID = 1L;

    public OwlyServlet(OwlyComponent component) {
      // Plugin servlets are served under /plugins/servlet; the core sees /owly/... after it.
      super(component.adminApi(), "/plugins/servlet");
    }
  }
  // end
}
