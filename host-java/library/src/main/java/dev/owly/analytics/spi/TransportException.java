package dev.owly.analytics.spi;

import dev.owly.analytics.OwlyException;

/** WIT {@code transport.transport-error}: no HTTP answer. Messages are codes, never content. */
public class TransportException extends OwlyException {
  private static final long serialVersionUID = 1L;

  /** The WIT variant case, in its order. */
  public enum Kind {
    NOT_CONFIGURED,
    TIMEOUT,
    CONNECT,
    OTHER,
    /** No request was made on purpose (a flush budget spent): the core ends the flush. */
    STOPPED
  }

  private final Kind kind;

  public TransportException(Kind kind, String code) {
    super(code);
    this.kind = kind;
  }

  public TransportException(Kind kind, String code, Throwable cause) {
    super(code, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
