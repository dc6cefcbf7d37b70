package dev.owly.analytics.servlet.jakarta;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin API's anti-CSRF token for a host that keeps its own sessions: 32 random bytes, kept in
 * the servlet session (attribute {@value #ATTRIBUTE}), so it lives and dies with the host's login.
 */
public final class SessionCsrf {
  public static final String ATTRIBUTE = "dev.owly.analytics.csrf";

  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionCsrf() {}

  /** The token of the request's session, created with the session when there is none yet. */
  public static String token(HttpServletRequest request) {
    HttpSession session = request.getSession(true);
    synchronized (SessionCsrf.class) {
      Object token = session.getAttribute(ATTRIBUTE);
      if (token instanceof String s) {
        return s;
      }
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      session.setAttribute(ATTRIBUTE, fresh);
      return fresh;
    }
  }
}
