package dev.owly.analytics.runtime;

import dev.owly.analytics.OwlyException;

/**
 * A call into the guest failed at runtime: a trap, a timeout, a Canonical ABI violation, or a host
 * capability that failed where the WIT has no error case. The instance that ran the call has been
 * discarded. {@link #code()} is a short code such as {@code trap}, {@code timeout} or {@code
 * abi.invalid-utf8}; never content.
 */
public class GuestCallException extends OwlyException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public GuestCallException(String code) {
    super(code);
    this.code = code;
  }

  public GuestCallException(String code, Throwable cause) {
    super(code, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
