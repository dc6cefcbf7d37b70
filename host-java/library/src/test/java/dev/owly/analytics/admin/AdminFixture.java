package dev.owly.analytics.admin;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.api.Owly;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.storage.TestDatabases;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * An instance with something to show, for the browser tests against any server: delivered batches
 * in the ledger, filter counters, and a few rows left pending (the next payload), like the demo.
 * Signs in with random passwords through {@link StandaloneAccess}.
 */
public final class AdminFixture implements AutoCloseable {
  public static final String ADMIN = "admin";
  public static final String USER = "viewer";

  /** The repository root, from the build ({@code owly.repo.dir}). */
  public static Path repo() {
    String dir = System.getProperty("owly.repo.dir");
    if (dir == null) {
      throw new IllegalStateException("the build passes -Dowly.repo.dir (the repository root)");
    }
    return Path.of(dir).toAbsolutePath().normalize();
  }

  private final JdbcConnectionPool db;
  private final Owly owly;
  private final String adminPassword = password();
  private final String userPassword = password();
  private final StandaloneAccess access;

  private AdminFixture(Path dir) {
    db = TestDatabases.h2File(dir.resolve("db"));
    owly =
        Owly.builder(db)
            .withServerId("TEST-0000-0000-0005")
            .withProductVersion("9.12.15")
            .withAppVersion("0.1.0-test")
            .withCollectorUrl("https://collector.invalid/collect")
            .withMode(Mode.REMOTE)
            .withTransport(body -> new Response(200, null))
            .withPoolSize(1)
            .withFlushInterval(Duration.ZERO)
            .withDrainTimeout(Duration.ZERO)
            .build();
    access = StandaloneAccess.builder(ADMIN, adminPassword).withUser(USER, userPassword).build();
  }

  /** An instance in {@code dir} with two delivered batches and five pending rows. */
  public static AdminFixture start(Path dir) {
    AdminFixture f = new AdminFixture(requireNonNull(dir, "dir"));
    for (int batch = 0; batch < 2; batch++) {
      f.record(12);
      f.owly.flush();
    }
    f.record(5);
    return f;
  }

  private void record(int accepted) {
    List<String> formats = List.of("csv", "json", "xlsx", "sql");
    for (int i = 0; i < accepted; i++) {
      owly.record(
          i % 2 == 0 ? "owly.view.settings" : "owly.export.finished",
          i % 2 == 0 ? Map.of() : Map.of("format", formats.get(i % 4), "rows", 100 + i));
    }
    // What the filter must refuse, so the report has counters (fake values only).
    owly.record("owly.export.failed", Map.of("reason", "jane.doe@example.com"));
    owly.record("owly.view.FAKE-123", Map.of());
  }

  public Owly owly() {
    return owly;
  }

  /** The API over this instance, the page from the repository's {@code www/}. */
  public AdminApi.Builder api() {
    return AdminApi.builder(owly, access).withStaticRoot(repo().resolve("www"));
  }

  public StandaloneAccess access() {
    return access;
  }

  /**
   * Runs {@code node --test tests/browser/} against {@code page} (e.g. {@code
   * http://127.0.0.1:PORT/owly/admin/}) with this fixture's credentials; returns node's exit code.
   * Its output goes to {@code log}. A missing {@code tests/browser/node_modules} or Chromium fails
   * the run (they are installed by {@code make test-tools browser-deps}), never skips it.
   */
  public int runBrowserTests(URI page, Path log, Duration timeout)
      throws IOException, InterruptedException {
    Path browser = repo().resolve("tests/browser");
    if (!Files.isDirectory(browser.resolve("node_modules/playwright-core"))) {
      throw new IllegalStateException(
          "tests/browser/node_modules is missing: run `make browser-deps` (npm ci)");
    }
    if (!Files.isDirectory(repo().resolve("www/pkg"))) {
      throw new IllegalStateException("www/pkg is missing: run `make web`");
    }
    ProcessBuilder pb =
        new ProcessBuilder("node", "--test", "tests" + File.separator + "browser" + File.separator)
            .directory(repo().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("OWLY_ADMIN_URL", page.toString());
    env.put("OWLY_ADMIN_USER", ADMIN);
    env.put("OWLY_ADMIN_PASSWORD", adminPassword);
    env.put("OWLY_USER", USER);
    env.put("OWLY_USER_PASSWORD", userPassword);
    Process node = pb.start();
    if (!node.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      node.descendants().forEach(ProcessHandle::destroyForcibly);
      node.destroyForcibly();
      throw new IllegalStateException("the browser tests took longer than " + timeout);
    }
    return node.exitValue();
  }

  private static String password() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @Override
  public void close() {
    owly.close();
    db.dispose();
  }
}
