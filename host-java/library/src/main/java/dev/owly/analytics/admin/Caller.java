package dev.owly.analytics.admin;

import static java.util.Objects.requireNonNull;

/**
 * Who sent a request, as a {@link PermissionCheck} sees it.
 *
 * @param access what the request may do
 * @param name the principal's name, for the audit log; null when anonymous
 * @param csrf the anti-CSRF token bound to the caller's session (sent back in {@code X-Owly-CSRF}
 *     on every state-changing call); null when the caller has no session
 */
public record Caller(Access access, String name, String csrf) {
  private static final Caller ANONYMOUS = new Caller(Access.ANONYMOUS, null, null);

  public Caller {
    requireNonNull(access, "access");
    if (access != Access.ANONYMOUS) {
      requireNonNull(name, "name");
    }
  }

  public static Caller anonymous() {
    return ANONYMOUS;
  }

  /** Never shows the token. */
  @Override
  public String toString() {
    return "Caller[" + access + (name == null ? "" : ", " + name) + "]";
  }
}
