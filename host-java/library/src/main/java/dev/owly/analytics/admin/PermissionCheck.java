package dev.owly.analytics.admin;

/**
 * Decides, per request, whether the caller is anonymous, a signed-in user or an administrator. The
 * admin API answers 401 to {@link Access#ANONYMOUS} and 403 to {@link Access#USER}.
 *
 * <p>In a Jira/Confluence Data Center plugin this is the host's own check, written against the
 * servlet request with {@code ServletPermissionCheck.of(request -> …)} of {@code
 * owly-servlet-javax} or {@code owly-servlet-jakarta}, e.g. with SAL's {@code
 * UserManager.isSystemAdmin(userKey)} (see {@code docs/embedding.md}). Such a host signs users in
 * itself and keeps the defaults of {@link #signIn} and {@link #signOut}. The standalone host uses
 * {@link StandaloneAccess}.
 *
 * <p>A check that throws fails closed: the API answers 500 and does nothing.
 */
@FunctionalInterface
public interface PermissionCheck {
  /** Who sent this request. Must not throw for anonymous or malformed credentials. */
  Caller check(AdminRequest request);

  /**
   * Signs in with a username and password; the default (a host with its own login) is {@link
   * SignIn#unsupported()}.
   */
  default SignIn signIn(String username, String password, AdminRequest request) {
    return SignIn.unsupported();
  }

  /** Ends the request's session, if any. */
  default void signOut(AdminRequest request) {}
}
