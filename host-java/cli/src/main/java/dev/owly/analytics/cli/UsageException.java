package dev.owly.analytics.cli;

import dev.owly.analytics.OwlyException;

/** Bad command-line arguments: exit code 2 with the usage. */
final class UsageException extends OwlyException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
