package dev.owly.analytics;

/** The root of every unchecked exception the Owly host throws. */
public class OwlyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OwlyException(String message) {
    super(message);
  }

  public OwlyException(String message, Throwable cause) {
    super(message, cause);
  }

  public OwlyException(Throwable cause) {
    super(cause);
  }
}
