package dev.owly.analytics.admin;

import dev.owly.analytics.OwlyException;

/** A request the admin API refuses with 400 and {@code {"error":"<code>"}}. */
public final class BadRequestException extends OwlyException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public BadRequestException(String code) {
    super(code);
    this.code = code;
  }

  /** The error code of the answer, e.g. {@code malformed-json}. */
  public String code() {
    return code;
  }
}
