package dev.owly.analytics.servlet.javax;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.owly.analytics.admin.AdminFixture;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin page's browser tests (tests/browser/, Chromium) against Jetty 10 + the servlet, on a
 * data folder the demo filled ({@link AdminFixture#fromDemo}).
 */
class BrowserIT {
  @Test
  void shouldPassTheBrowserTestsInJetty10(@TempDir Path dir) throws Exception {
    Path log = Path.of("target", "browser-javax.log").toAbsolutePath();
    Files.deleteIfExists(log);
    for (Path file : AdminFixture.browserTestFiles()) {
      Path run = Files.createDirectories(dir.resolve(file.getFileName().toString()));
      try (AdminFixture fixture = AdminFixture.fromDemo(run);
          Jetty10 jetty = Jetty10.serve(fixture.api().build())) {
        URI page = URI.create(jetty.base() + "/owly/admin/");
        int code = fixture.runBrowserTests(page, file, log, Duration.ofMinutes(8));
        assertEquals(0, code, () -> "node --test " + file + " failed:\n" + tail(log));
      }
    }
  }

  static String tail(Path log) {
    try {
      String all = Files.readString(log);
      return all.substring(Math.max(0, all.length() - 6000));
    } catch (java.io.IOException e) {
      return "(no log: " + e.getClass().getSimpleName() + ")";
    }
  }
}
