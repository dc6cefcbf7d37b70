package dev.owly.analytics.transport;

import dev.owly.analytics.OwlyException;

/** A transport that must not be built: bad URL, plain HTTP off loopback, unreadable trust store. */
public class TransportConfigException extends OwlyException {
  private static final long serialVersionUID = 1L;

  public TransportConfigException(String message) {
    super(message);
  }

  public TransportConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  public TransportConfigException(Throwable cause) {
    super(cause);
  }
}
