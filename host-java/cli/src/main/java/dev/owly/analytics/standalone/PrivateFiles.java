package dev.owly.analytics.standalone;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Folders 0700 and files 0600 from the moment they exist, for everything the standalone host keeps
 * (databases holding the instance secret, secret files, payloads): the JVM cannot set a umask, so
 * each file is created with its permissions ({@link FileAttribute}), and a file that is replaced is
 * written beside it first and renamed over it atomically, so no one ever sees it readable or half
 * written. On a file system without POSIX permissions they are left as they are.
 */
public final class PrivateFiles {
  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** Creates {@code dir} (and missing parents) as 0700; an existing one is narrowed to 0700. */
  public static Path directory(Path dir) throws IOException {
    requireNonNull(dir, "dir");
    if (!posix(dir)) {
      return Files.createDirectories(dir);
    }
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.setPosixFilePermissions(dir, DIRECTORY);
      return dir;
    }
    return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
  }

  /** Creates an empty file 0600 unless it exists (then narrows it to 0600). */
  public static Path file(Path file) throws IOException {
    requireNonNull(file, "file");
    if (!posix(file.toAbsolutePath().getParent())) {
      return Files.exists(file) ? file : Files.createFile(file);
    }
    try {
      return Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    } catch (FileAlreadyExistsException e) {
      Files.setPosixFilePermissions(file, FILE);
      return file;
    }
  }

  /** Writes {@code content} as {@code file}, 0600 from its first byte, replacing it atomically. */
  public static void write(Path file, byte[] content) throws IOException {
    requireNonNull(content, "content");
    Path dir = requireNonNull(file, "file").toAbsolutePath().getParent();
    Path temp =
        posix(dir)
            ? Files.createTempFile(
                dir, ".owly-", ".tmp", PosixFilePermissions.asFileAttribute(FILE))
            : Files.createTempFile(dir, ".owly-", ".tmp");
    try {
      Files.write(temp, content, StandardOpenOption.TRUNCATE_EXISTING);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Appends to {@code file}, creating it 0600 first when missing. */
  public static void append(Path file, byte[] content) throws IOException {
    file(file);
    Files.write(file, content, StandardOpenOption.APPEND);
  }

  private static boolean posix(Path path) {
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing != null
        && Files.getFileAttributeView(
                existing, java.nio.file.attribute.PosixFileAttributeView.class)
            != null;
  }
}
