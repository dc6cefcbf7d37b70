package dev.owly.analytics.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Secrets and passwords for the CLI, from a file or an environment variable, never from the command
 * line (every user of the machine sees it in {@code ps}). The options that used to take one now
 * refuse with the way to pass it.
 */
final class Secrets {
  /** Largest secret or password file read. */
  static final int MAX_BYTES = 4096;

  private Secrets() {}

  /** Refuses a secret on the command line, naming where it goes instead. */
  static void refuseOnCommandLine(Args a, String option, String fileOption, String env) {
    if (a.get(option) != null) {
      throw new UsageException(
          option
              + " is not accepted: a secret on the command line is visible to every user (ps);"
              + " use "
              + fileOption
              + " FILE or the environment variable "
              + env);
    }
  }

  /**
   * The value of {@code fileOption}'s file (one line, the trailing newline dropped) or of the
   * environment variable {@code env}; empty when neither is given. A file others may read is used,
   * with a warning.
   */
  static Optional<String> read(
      Args a, String fileOption, String env, Map<String, String> environment, PrintStream err) {
    String file = a.get(fileOption);
    if (file != null) {
      Path path = Path.of(file);
      if (!Files.isRegularFile(path)) {
        throw new UsageException(fileOption + ": no such file: " + path.getFileName());
      }
      try {
        warnIfShared(path, fileOption, err);
        byte[] bytes;
        try (var in = Files.newInputStream(path)) {
          bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
          throw new UsageException(
              fileOption + ": the file is larger than " + MAX_BYTES + " bytes");
        }
        String value = new String(bytes, StandardCharsets.UTF_8).strip();
        if (value.isEmpty()) {
          throw new UsageException(fileOption + ": the file is empty");
        }
        return Optional.of(value);
      } catch (IOException e) {
        throw new UsageException(fileOption + ": cannot read the file");
      }
    }
    String value = environment.get(env);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value.strip());
  }

  private static void warnIfShared(Path path, String option, PrintStream err) throws IOException {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(path);
      if (p.contains(PosixFilePermission.GROUP_READ)
          || p.contains(PosixFilePermission.OTHERS_READ)) {
        err.println("owly: warning: " + option + " file is readable by others (chmod 600 it)");
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }
}
