package com.atlassian.sal.api.user;

import javax.servlet.http.HttpServletRequest;

/**
 * A stand-in with the two methods of SAL's {@code com.atlassian.sal.api.user.UserManager} that the
 * permission check uses, same names and signatures (no Atlassian artifact is reachable from this
 * build): so the documented plugin code compiles here as it would in a plugin.
 */
public interface UserManager {
  /** The signed-in user of the request, or null. */
  UserKey getRemoteUserKey(HttpServletRequest request);

  /** Whether the user has the system administrator permission. */
  boolean isSystemAdmin(UserKey userKey);
}
