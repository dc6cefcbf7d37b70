package dev.owly.analytics.core;

import dev.owly.analytics.OwlyException;

/** WIT {@code inspect.payload-error}: why a payload could not be decoded or verified. */
public class PayloadException extends OwlyException {
  private static final long serialVersionUID = 1L;

  /** The WIT variant case. */
  public enum Kind {
    MALFORMED,
    TOO_LARGE,
    HASH_MISMATCH,
    OTP_MISMATCH,
    WEAK_SECRET
  }

  private final Kind kind;
  private final String reason;

  public PayloadException(Kind kind, String reason) {
    super(reason == null ? kind.name() : kind.name() + ": " + reason);
    this.kind = kind;
    this.reason = reason;
  }

  public PayloadException(Kind kind, String reason, Throwable cause) {
    super(reason == null ? kind.name() : kind.name() + ": " + reason, cause);
    this.kind = kind;
    this.reason = reason;
  }

  public Kind kind() {
    return kind;
  }

  /** The reason code of {@link Kind#MALFORMED} ({@code json}, {@code row.3}…); else null. */
  public String reason() {
    return reason;
  }
}
