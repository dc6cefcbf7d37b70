package dev.owly.analytics.spi;

import dev.owly.analytics.OwlyException;

/** WIT {@code storage.storage-error}. The failed call changed nothing. */
public class StorageException extends OwlyException {
  private static final long serialVersionUID = 1L;

  /** The WIT variant case. */
  public enum Kind {
    UNAVAILABLE,
    LOST_CLAIM,
    OTHER
  }

  private final Kind kind;

  public StorageException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public StorageException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
