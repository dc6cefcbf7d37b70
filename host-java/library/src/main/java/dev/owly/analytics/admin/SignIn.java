package dev.owly.analytics.admin;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The outcome of a password sign-in ({@code POST /owly/api/session}).
 *
 * @param sessionId the value of the {@code OWLYSESSION} cookie (only when accepted)
 * @param csrf the session's anti-CSRF token (only when accepted)
 * @param maxAge how long the session lives (only when accepted)
 * @param retryAfterSeconds when rate limited, how long to wait
 */
public record SignIn(
    Outcome outcome,
    String sessionId,
    String csrf,
    boolean admin,
    Duration maxAge,
    long retryAfterSeconds) {

  /** What became of the attempt. */
  public enum Outcome {
    /** A session was created. */
    ACCEPTED,
    /** Unknown user or wrong password (the two are not told apart). */
    REFUSED,
    /** Too many failures for that user or client: refused without checking the password. */
    RATE_LIMITED,
    /** The host signs users in itself (a Data Center plugin): the endpoint answers 404. */
    UNSUPPORTED
  }

  public SignIn {
    requireNonNull(outcome, "outcome");
    if (outcome == Outcome.ACCEPTED) {
      requireNonNull(sessionId, "sessionId");
      requireNonNull(csrf, "csrf");
      requireNonNull(maxAge, "maxAge");
    }
  }

  public static SignIn accepted(String sessionId, String csrf, boolean admin, Duration maxAge) {
    return new SignIn(Outcome.ACCEPTED, sessionId, csrf, admin, maxAge, 0);
  }

  public static SignIn refused() {
    return new SignIn(Outcome.REFUSED, null, null, false, null, 0);
  }

  public static SignIn rateLimited(long retryAfterSeconds) {
    return new SignIn(Outcome.RATE_LIMITED, null, null, false, null, retryAfterSeconds);
  }

  public static SignIn unsupported() {
    return new SignIn(Outcome.UNSUPPORTED, null, null, false, null, 0);
  }

  /** Never shows the session id or the token. */
  @Override
  public String toString() {
    return "SignIn[" + outcome + (outcome == Outcome.ACCEPTED ? ", admin=" + admin : "") + "]";
  }
}
