package dev.owly.analytics.storage;

/**
 * What the nodes observed of delivery: the last successful send, the last failed one and its error
 * code, and since when sends have been failing without a success in between. Times are Unix ms,
 * null when never observed. Immutable; {@link #merge} combines two observers (two nodes, or the
 * stored row and what a node saw since it last wrote it).
 *
 * @param failingSince the first failure after the last success, null while the last send succeeded
 * @param lastErrorCode a code, never content: a rule-like reason ({@code http.client-error}),
 *     {@code http.<status>} for a retried answer, {@code transport} for a send without an answer
 */
public record DeliveryHealth(
    Long lastSuccessAt, Long lastFailureAt, Long failingSince, String lastErrorCode) {
  /** Nothing observed. */
  public static final DeliveryHealth NONE = new DeliveryHealth(null, null, null, null);

  /** Error codes are bounded like the column that stores them. */
  public static final int MAX_CODE_LENGTH = 64;

  public DeliveryHealth {
    if (lastErrorCode != null && lastErrorCode.length() > MAX_CODE_LENGTH) {
      lastErrorCode = lastErrorCode.substring(0, MAX_CODE_LENGTH);
    }
  }

  /** Whether the last observed send failed. */
  public boolean failing() {
    return failingSince != null;
  }

  /** After a successful send at {@code atMs}. */
  public DeliveryHealth success(long atMs) {
    long success = max(lastSuccessAt, atMs);
    boolean stillFailing = lastFailureAt != null && lastFailureAt > success;
    Long since = null;
    if (stillFailing) {
      since = failingSince != null && failingSince > success ? failingSince : lastFailureAt;
    }
    return new DeliveryHealth(success, lastFailureAt, since, lastErrorCode);
  }

  /** After a failed (retried or failed for good) send at {@code atMs}. */
  public DeliveryHealth failure(long atMs, String code) {
    boolean newest = lastFailureAt == null || atMs >= lastFailureAt;
    long failure = max(lastFailureAt, atMs);
    Long since = failingSince;
    if (lastSuccessAt == null || atMs > lastSuccessAt) {
      since = since == null ? atMs : Math.min(since, atMs);
    }
    return new DeliveryHealth(lastSuccessAt, failure, since, newest ? code : lastErrorCode);
  }

  /**
   * Both observations as one. Exact when {@code newer} saw only sends after this one's (one node,
   * written in turn); across nodes {@code failingSince} may be late by up to one write interval,
   * because a summary does not keep every failure.
   */
  public DeliveryHealth merge(DeliveryHealth newer) {
    Long success = maxNullable(lastSuccessAt, newer.lastSuccessAt);
    Long failure = maxNullable(lastFailureAt, newer.lastFailureAt);
    String code =
        newer.lastFailureAt != null && newer.lastFailureAt.equals(failure)
            ? newer.lastErrorCode
            : lastErrorCode;
    if (failure == null || (success != null && success >= failure)) {
      return new DeliveryHealth(success, failure, null, code);
    }
    Long since = minNullable(firstFailureAfter(success), newer.firstFailureAfter(success));
    return new DeliveryHealth(success, failure, since, code);
  }

  /** This observer's earliest known failure after {@code successAt} (null: none). */
  private Long firstFailureAfter(Long successAt) {
    if (lastFailureAt == null || (successAt != null && lastFailureAt <= successAt)) {
      return null;
    }
    if (failingSince != null && (successAt == null || failingSince > successAt)) {
      return failingSince;
    }
    return lastFailureAt;
  }

  private static long max(Long a, long b) {
    return a == null ? b : Math.max(a, b);
  }

  private static Long maxNullable(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
  }

  private static Long minNullable(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
  }
}
