package dev.owly.analytics.servlet.javax;

import com.atlassian.sal.api.user.UserKey;
import com.atlassian.sal.api.user.UserManager;
import dev.owly.analytics.admin.Access;
import dev.owly.analytics.admin.AdminApi;
import dev.owly.analytics.admin.Caller;
import dev.owly.analytics.admin.PermissionCheck;
import dev.owly.analytics.api.Owly;
import javax.servlet.http.HttpServlet;

/** The plugin code of docs/embedding.md, compiled and run by {@link SalPermissionCheckTest}. */
final class EmbeddingExample {
  private EmbeddingExample() {}

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
  static HttpServlet servlet(Owly owly, PermissionCheck check) {
    AdminApi api = AdminApi.builder(owly, check).build();
    // Plugin servlets are served under /plugins/servlet; the core sees /owly/... after it.
    return new OwlyAdminServlet(api, "/plugins/servlet");
  }
  // end
}
