package dev.owly.analytics.abi;

import dev.owly.analytics.OwlyException;

/**
 * A Canonical ABI violation: a guest pointer out of range or misaligned, invalid UTF-8, a bad
 * discriminant, or a host string that cannot be encoded. The message is a short code and never
 * carries content.
 */
public class AbiException extends OwlyException {
  private static final long serialVersionUID = 1L;

  public AbiException(String message) {
    super(message);
  }

  public AbiException(String message, Throwable cause) {
    super(message, cause);
  }

  public AbiException(Throwable cause) {
    super(cause);
  }
}
