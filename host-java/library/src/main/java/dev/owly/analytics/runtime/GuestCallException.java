package dev.owly.analytics.runtime;

import dev.owly.analytics.OwlyException;

/**
 * A call into the guest failed at runtime: a trap, a timeout, a Canonical ABI violation, or a host
 * capability that failed where the WIT has no error case. An instance whose code ran in the call
 * has been discarded; one that never ran (its arguments were refused) is kept. {@link #code()} is a
 * short code such as {@code trap}, {@code timeout}, {@code abi.invalid-utf8} or {@link #REENTRANT};
 * never content.
 */
public class GuestCallException extends OwlyException {
  private static final long serialVersionUID = 1L;

  /**
   * A call on a pool from inside one of its own calls (a capability calling back into the core).
   * The spec traps ({@code may_enter}); here the inner call fails before it touches any instance,
   * so the outer call, its instance and its time limit are unaffected.
   */
  public static final String REENTRANT = "pool.reentrant";

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
