package dev.owly.analytics.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
  @TempDir Path dir;

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void shouldCreateFoldersAndFilesPrivateFromTheStart() throws Exception {
    Path nested = PrivateFiles.directory(dir.resolve("a/b"));
    assertEquals("rwx------", mode(dir.resolve("a")));
    assertEquals("rwx------", mode(nested));
    Path secret = nested.resolve("secret.hex");
    PrivateFiles.write(secret, "00ff\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals("rw-------", mode(secret));
    PrivateFiles.write(secret, "11ee\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals("11ee\n", Files.readString(secret), "replaced");
    assertEquals(List.of(secret), Files.list(nested).toList(), "no temporary file left");
    PrivateFiles.append(nested.resolve("log"), "x\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals("rw-------", mode(nested.resolve("log")));
  }

  @Test
  void shouldNarrowAnExistingFolderAndFileAndAcceptRelativePaths() throws Exception {
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path file = Files.writeString(open.resolve("owly.mv.db"), "");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    PrivateFiles.directory(open);
    PrivateFiles.file(file);
    assertEquals("rwx------", mode(open));
    assertEquals("rw-------", mode(file));
    Path relative = Path.of("target", "private-files-test-" + System.nanoTime());
    try {
      PrivateFiles.directory(relative);
      assertEquals("rwx------", mode(relative));
    } finally {
      Files.deleteIfExists(relative);
    }
  }

  @Test
  void shouldKeepTheH2DatabasePrivate() throws Exception {
    var pool = DataSources.h2File(dir.resolve("db"));
    try (var c = pool.getConnection()) {
      c.createStatement().execute("CREATE TABLE T(X INT)");
    } finally {
      pool.dispose();
    }
    assertEquals("rwx------", mode(dir.resolve("db")));
    try (var files = Files.list(dir.resolve("db"))) {
      for (Path f : files.toList()) {
        assertEquals("rw-------", mode(f), f.toString());
      }
    }
    assertTrue(Files.size(dir.resolve("db/owly.mv.db")) > 0);
  }
}
