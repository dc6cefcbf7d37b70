package dev.owly.analytics.servlet.javax;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.admin.Caller;
import dev.owly.analytics.admin.PermissionCheck;

/**
 * A {@link PermissionCheck} written against the servlet request, the way a Data Center plugin asks
 * its host who is signed in (SAL's {@code UserManager}):
 *
 * <pre>{@code
 * PermissionCheck check = ServletPermissionCheck.of(request -> {
 *   UserKey user = userManager.getRemoteUserKey(request);
 *   if (user == null) {
 *     return Caller.anonymous();
 *   }
 *   Access access = userManager.isSystemAdmin(user) ? Access.ADMIN : Access.USER;
 *   return new Caller(access, user.getStringValue(), SessionCsrf.token(request));
 * });
 * }</pre>
 *
 * The host signs users in itself, so {@code /owly/api/session} answers 404 and the defaults of
 * {@link PermissionCheck#signIn} and {@link PermissionCheck#signOut} stay.
 */
@FunctionalInterface
public interface ServletPermissionCheck {
  /** Who sent this request. Must not throw for anonymous or malformed credentials. */
  Caller check(javax.servlet.http.HttpServletRequest request);

  /**
   * The admin core's check over this one; a request that did not come through {@link
   * OwlyAdminServlet} is anonymous (fails closed).
   */
  static PermissionCheck of(ServletPermissionCheck check) {
    requireNonNull(check, "check");
    return request ->
        request instanceof ServletAdminExchange servlet
            ? check.check(servlet.servletRequest())
            : Caller.anonymous();
  }
}
