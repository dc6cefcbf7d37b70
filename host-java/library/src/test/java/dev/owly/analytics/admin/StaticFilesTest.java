package dev.owly.analytics.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's files as the jar serves them (classpath folder inside a jar). */
class StaticFilesTest {
  @TempDir Path dir;

  @Test
  void shouldServeFilesButNotDirectoriesFromAJar() throws Exception {
    Path jar = dir.resolve("page.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String d : new String[] {"owly/", "owly/www/", "owly/www/pkg/", "owly/www/x.js/"}) {
        out.putNextEntry(new JarEntry(d));
        out.closeEntry();
      }
      put(out, "owly/www/index.html", "<!doctype html>");
      put(out, "owly/www/pkg/owly_core_bg.wasm", "\0asm");
      put(out, "owly/secret.txt", "not part of the page");
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      StaticFiles files = StaticFiles.classpath(loader, "owly/www/");
      assertEquals("<!doctype html>", text(files, ""));
      assertEquals("application/wasm", files.find("pkg/owly_core_bg.wasm").get().contentType());
      assertTrue(files.find("pkg").isEmpty());
      assertTrue(files.find("pkg/").isEmpty());
      assertTrue(files.find("x.js").isEmpty(), "a directory named like a file");
      assertTrue(files.find("../secret.txt").isEmpty());
      assertTrue(files.find("missing.html").isEmpty());
    }
  }

  private static void put(JarOutputStream out, String name, String content) throws Exception {
    out.putNextEntry(new JarEntry(name));
    OutputStream o = out;
    o.write(content.getBytes(StandardCharsets.UTF_8));
    out.closeEntry();
  }

  private static String text(StaticFiles files, String path) {
    return new String(files.find(path).orElseThrow().bytes(), StandardCharsets.UTF_8);
  }
}
