package dev.owly.analytics.graalwasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped command lines, as separate processes: {@code scripts/owly-graalwasm} (owly.jar with
 * JVMCI and the Graal compiler) running {@code filter} and {@code demo} with {@code --engine
 * graalwasm}. Needs host-java/target/owly.jar (the JDK 17 build makes it first).
 */
class LauncherIT {
  static final Path ROOT = Path.of(System.getProperty("owly.repo.dir", "../.."));

  record Run(int code, String out, String err) {}

  static Run run(String stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ROOT.resolve("scripts/owly-graalwasm").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    Thread t = new Thread(() -> copy(p.getErrorStream(), err));
    t.start();
    p.getInputStream().transferTo(out);
    assertTrue(p.waitFor(240, TimeUnit.SECONDS), "finished in time");
    t.join();
    return new Run(
        p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void copy(java.io.InputStream in, java.io.OutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void filterRunsOnGraalWasmWithTheOptimizingCompiler() throws Exception {
    Run r =
        run(
            "{\"name\":\"owly.export.tables.propertyentry\"}\n"
                + "{\"name\":\"owly.export.failed\",\"attributes\":{\"reason\":\"jane@example.com\"}}\n",
            "filter",
            "--engine",
            "graalwasm");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals(2, lines.length, r.out());
    assertTrue(lines[0].startsWith("{\"ok\":true,\"row\":{"), lines[0]);
    assertTrue(lines[1].contains("\"rule\":\"@email\""), lines[1]);
    assertFalse(r.err().contains("without its optimizing compiler"), r.err());
  }

  @Test
  void theDemoRunsTheWholePipelineOnGraalWasm(@TempDir Path dir) throws Exception {
    Run r = run("", "demo", "--engine", "graalwasm", "--data", dir.resolve("data").toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("verified"), r.out());
  }
}
