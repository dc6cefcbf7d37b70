package dev.owly.analytics.abi;

import dev.owly.analytics.OwlyException;

/**
 * A Canonical ABI violation: a guest pointer out of range or misaligned, invalid UTF-8, a bad
 * discriminant, a length over the spec's caps, or a host value that does not fit its WIT type (a
 * lone surrogate, an integer out of range). {@link #code()} is a stable short code such as {@code
 * abi.invalid-utf16}; the message adds at most the name of a function and another code, never
 * content.
 */
public class AbiException extends OwlyException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public AbiException(String code) {
    super(code);
    this.code = code;
  }

  public AbiException(String code, Throwable cause) {
    super(code, cause);
    this.code = code;
  }

  /**
   * @param detail names what failed (a function, the code of the cause); never content
   */
  public AbiException(String code, String detail, Throwable cause) {
    super(code + " (" + detail + ")", cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
