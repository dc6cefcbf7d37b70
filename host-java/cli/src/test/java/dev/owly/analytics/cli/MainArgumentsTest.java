package dev.owly.analytics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument handling: every bad invocation exits 2 with the usage, before the core is loaded. */
class MainArgumentsTest {
  static final String GOOD_HEX = "00112233445566778899aabbccddeeff00112233";
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static void assertUsage(Result r) {
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("usage: java -jar owly.jar"), r.err());
  }

  @Test
  void noCommandPrintsUsageAndExits2() {
    assertUsage(run());
  }

  @Test
  void anUnknownCommandExits2WithoutEchoingLongArguments() {
    Result r = run("deadbeefdeadbeefdeadbeefdeadbeef00112233");
    assertUsage(r);
    assertFalse(r.err().contains("deadbeefdeadbeef"));
  }

  @Test
  void anUnknownEngineIsAUsageError() {
    for (String command : new String[] {"filter", "demo", "collector"}) {
      Path data = dir.resolve(command + "-data");
      Result r =
          command.equals("filter")
              ? run(command, "--engine", "wasmtime")
              : run(command, "--engine", "wasmtime", "--data", data.toString());
      assertUsage(r);
      assertTrue(r.err().contains("--engine must be aot, interpreter or graalwasm"), r.err());
      assertFalse(Files.exists(data), "refused before anything was written");
    }
  }

  @Test
  void graalWasmWithoutItsModuleOrOnJdk17FailsWithAClearCode() {
    // This module's tests run on JDK 17 without the graalwasm jars on their class path.
    Result r = run("filter", "--engine", "graalwasm");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("owly: failed: engine.unavailable: graalwasm"), r.err());
  }

  @Test
  void helpPrintsUsageAndExits0() {
    Result r = run("help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("filter"));
  }

  @Test
  void filterTakesNoArguments() {
    assertUsage(run("filter", "extra"));
  }

  @Test
  void decodeNeedsExactlyOneExistingFile() {
    assertUsage(run("decode"));
    assertUsage(run("decode", "a.json", "b.json"));
    assertUsage(run("decode", dir.resolve("missing.json").toString()));
    assertUsage(run("decode", dir.toString()));
    assertUsage(run("decode", "--bogus", "x"));
  }

  @Test
  void verifyRejectsMissingBadAndShortSecrets() throws Exception {
    Path file = Files.writeString(dir.resolve("p.json"), "{}");
    assertUsage(run("verify", file.toString()));
    Result bad = run("verify", "--secret-hex", "zz-not-hex-SECRETVALUE", file.toString());
    assertUsage(bad);
    assertFalse(bad.err().contains("SECRETVALUE"), "the secret argument is never echoed");
    assertUsage(run("verify", "--secret-hex", "abc", file.toString()));
    assertUsage(run("verify", "--secret-hex", "0011223344", file.toString()));
    assertUsage(run("verify", "--secret-hex"));
    assertUsage(run("verify", "--secret-hex", GOOD_HEX, "--at", "yesterday", file.toString()));
    assertUsage(run("verify", "--secret-hex", GOOD_HEX, dir.resolve("missing").toString()));
  }

  @Test
  void collectorRejectsBadOptions() {
    assertUsage(run("collector", "--port", "http"));
    assertUsage(run("collector", "--port", "70000"));
    assertUsage(run("collector", "--https"));
    assertUsage(run("collector", "--https", "--keystore", dir.resolve("none.p12").toString()));
    assertUsage(run("collector", "--secret-hex", "12"));
    assertUsage(run("collector", "positional"));
  }

  @Test
  void demoServingOptionsNeedKeepRunning() {
    assertUsage(run("demo", "--port", "0"));
    assertUsage(run("demo", "--admin-password", "pw"));
    assertUsage(run("demo", "--keep-running", "--user", "jane"));
    assertUsage(run("demo", "--keep-running", "--port", "70000"));
  }

  @Test
  void demoRejectsUnknownOptions() {
    assertUsage(run("demo", "--fast"));
    assertUsage(run("demo", "--data"));
  }
}
