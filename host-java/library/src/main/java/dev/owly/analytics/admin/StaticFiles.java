package dev.owly.analytics.admin;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The admin page's files, from a classpath folder (the jar's {@code /owly/www/}) or a directory.
 * Only regular files with a known type are served; a name is a path of plain segments ({@code
 * [A-Za-z0-9_][A-Za-z0-9._-]*}), so {@code ..}, hidden files, percent-escapes and backslashes never
 * reach the file system, and there is no directory listing.
 */
final class StaticFiles {
  /** Page files are small; anything bigger is not one of them. */
  private static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "mjs", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "wasm", "application/wasm",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "json", "application/json",
          "txt", "text/plain; charset=utf-8");

  /** A file to answer with. */
  record File(String contentType, byte[] bytes) {}

  private interface Source {
    Optional<byte[]> read(String relative) throws IOException;
  }

  private final Source source;
  private final String description;

  private StaticFiles(Source source, String description) {
    this.source = source;
    this.description = description;
  }

  /** Files under a classpath folder such as {@code owly/www/}. */
  static StaticFiles classpath(ClassLoader loader, String folder) {
    requireNonNull(loader, "loader");
    String prefix = requireNonNull(folder, "folder").endsWith("/") ? folder : folder + "/";
    return new StaticFiles(relative -> readResource(loader.getResource(prefix + relative)), prefix);
  }

  /** Files under a directory (symbolic links that lead outside it are refused). */
  static StaticFiles directory(Path root) {
    Path base;
    try {
      base = requireNonNull(root, "root").toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new StaticFiles(
        relative -> {
          Path file = base.resolve(relative).normalize();
          if (!file.startsWith(base) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
          }
          if (!file.toRealPath().startsWith(base) || Files.size(file) > MAX_FILE_BYTES) {
            return Optional.empty();
          }
          return Optional.of(Files.readAllBytes(file));
        },
        base.toString());
  }

  /**
   * The file for the part of the path after {@code /owly/admin/} (raw, not decoded); empty when
   * there is no such file or the name is not allowed.
   */
  Optional<File> find(String rawRelative) {
    String relative = rawRelative.isEmpty() ? "index.html" : rawRelative;
    String type = typeOf(relative);
    if (type == null || !allowed(relative)) {
      return Optional.empty();
    }
    try {
      return source.read(relative).map(bytes -> new File(type, bytes));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static boolean allowed(String relative) {
    if (relative.length() > 512) {
      return false;
    }
    for (String segment : relative.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches()) {
        return false;
      }
    }
    return true;
  }

  static String typeOf(String name) {
    int slash = name.lastIndexOf('/');
    int dot = name.lastIndexOf('.');
    if (dot <= slash + 1) {
      return null;
    }
    return TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static Optional<byte[]> readResource(URL url) throws IOException {
    if (url == null) {
      return Optional.empty();
    }
    switch (url.getProtocol()) {
      case "file" -> {
        Path path;
        try {
          path = Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
          return Optional.empty();
        }
        if (!Files.isRegularFile(path) || Files.size(path) > MAX_FILE_BYTES) {
          return Optional.empty();
        }
        return Optional.of(Files.readAllBytes(path));
      }
      case "jar" -> {
        URLConnection connection = url.openConnection();
        connection.setUseCaches(false);
        if (!(connection instanceof JarURLConnection jar)
            || jar.getJarEntry() == null
            || jar.getJarEntry().isDirectory()) {
          return Optional.empty();
        }
        try (InputStream in = jar.getInputStream()) {
          byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
          return bytes.length > MAX_FILE_BYTES ? Optional.empty() : Optional.of(bytes);
        }
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  @Override
  public String toString() {
    return "StaticFiles[" + description + "]";
  }
}
