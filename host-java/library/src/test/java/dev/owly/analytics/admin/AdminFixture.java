package dev.owly.analytics.admin;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.api.Owly;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.storage.TestDatabases;
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
 * An instance with something to show, for tests against any server: {@link #start} records a few
 * batches itself; {@link #fromDemo} lets the real demo ({@code owly.jar demo --history}, its own
 * process) fill a data folder — days of counters, delivered, retried and failed batches, pending
 * rows — and serves that, with what the demo said it recorded for the browser tests to compare the
 * charts with. Signs in with random passwords through {@link StandaloneAccess}.
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

  /** How many past days the demo seeds (tests/browser/harness.mjs expects this many). */
  public static final int HISTORY_DAYS = 12;

  private final JdbcConnectionPool db;
  private final Owly owly;
  private final String adminPassword = password();
  private final String userPassword = password();
  private final StandaloneAccess access;
  private final Path seeded;

  private AdminFixture(JdbcConnectionPool db, Owly.Builder owly, Path seeded) {
    this.db = db;
    this.owly =
        owly.withPoolSize(1)
            .withFlushInterval(Duration.ZERO)
            .withDrainTimeout(Duration.ZERO)
            .build();
    this.seeded = seeded;
    access = StandaloneAccess.builder(ADMIN, adminPassword).withUser(USER, userPassword).build();
  }

  /** An instance in {@code dir} with two delivered batches and five pending rows. */
  public static AdminFixture start(Path dir) {
    JdbcConnectionPool db = TestDatabases.h2File(requireNonNull(dir, "dir").resolve("db"));
    AdminFixture f =
        new AdminFixture(
            db,
            Owly.builder(db)
                .withServerId("TEST-0000-0000-0005")
                .withProductVersion("9.12.15")
                .withAppVersion("0.1.0-test")
                .withCollectorUrl("https://collector.invalid/collect")
                .withMode(Mode.REMOTE)
                .withTransport(body -> new Response(200, null)),
            null);
    for (int batch = 0; batch < 2; batch++) {
      f.record(12);
      f.owly.flush();
    }
    f.record(5);
    return f;
  }

  /**
   * Runs {@code java -jar owly.jar demo --history} in {@code dir} (its own process, which exits
   * when done) and opens the instance database it left: the demo's days of events, its ledger and
   * its pending rows. The jar is {@code host-java/target/owly.jar} (the cli module builds it before
   * the servlet modules); a missing jar fails.
   */
  public static AdminFixture fromDemo(Path dir) throws IOException, InterruptedException {
    Path jar = repo().resolve("host-java/target/owly.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it first (mvn -f host-java -pl cli -am package)");
    }
    Path data = dir.resolve("demo-data");
    Path out = dir.resolve("demo-out.txt");
    Process demo =
        new ProcessBuilder(
                "java",
                "-jar",
                jar.toString(),
                "demo",
                "--data",
                data.toString(),
                "--history",
                Integer.toString(HISTORY_DAYS))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!demo.waitFor(5, TimeUnit.MINUTES)) {
      demo.destroyForcibly();
      throw new IllegalStateException("the demo did not finish within 5 minutes");
    }
    if (demo.exitValue() != 0) {
      throw new IllegalStateException("the demo failed:\n" + Files.readString(out));
    }
    JdbcConnectionPool db = TestDatabases.h2File(data.resolve("instance"));
    return new AdminFixture(
        db,
        Owly.builder(db)
            .withServerId("DEMO-0000-0000-0001")
            .withProductVersion("9.12.15")
            .withAppVersion("0.9.9-demo"),
        out);
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
   * The browser test files ({@code tests/browser/*.test.mjs}). Each wants a server of its own (one
   * deletes everything at its end), as the harness gives each its own demo.
   */
  public static List<Path> browserTestFiles() throws IOException {
    try (var files = Files.list(repo().resolve("tests/browser"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".test.mjs")).sorted().toList();
    }
  }

  /**
   * Runs {@code node --test FILE} against {@code page} (e.g. {@code
   * http://127.0.0.1:PORT/owly/admin/}) with this fixture's credentials (and, from {@link
   * #fromDemo}, what the demo recorded); returns node's exit code. Its output is appended to {@code
   * log}. A missing {@code tests/browser/node_modules}, Chromium or {@code www/pkg} fails the run
   * ({@code make test-tools browser-deps web} installs them), never skips it.
   */
  public int runBrowserTests(URI page, Path file, Path log, Duration timeout)
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
        new ProcessBuilder("node", "--test", file.toString())
            .directory(repo().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = pb.environment();
    env.put("OWLY_ADMIN_URL", page.toString());
    env.put("OWLY_ADMIN_USER", ADMIN);
    env.put("OWLY_ADMIN_PASSWORD", adminPassword);
    env.put("OWLY_USER", USER);
    env.put("OWLY_USER_PASSWORD", userPassword);
    if (seeded != null) {
      env.put("OWLY_ADMIN_SEEDED", seeded.toString());
    }
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
