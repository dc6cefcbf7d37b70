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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument handling: every bad invocation exits 2 with the usage, before the core is loaded. */
class MainArgumentsTest {
  static final String GOOD_HEX = "00112233445566778899aabbccddeeff00112233";
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  /** Runs with an empty environment: no secret comes from this machine's. */
  static Result run(String... args) {
    return runWith(Map.of(), args);
  }

  static Result runWith(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
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
    Path bad = Files.writeString(dir.resolve("bad.hex"), "zz-not-hex-SECRETVALUE");
    Result notHex = run("verify", "--secret-file", bad.toString(), file.toString());
    assertUsage(notHex);
    assertFalse(notHex.err().contains("SECRETVALUE"), "the secret is never echoed");
    assertUsage(
        run(
            "verify",
            "--secret-file",
            Files.writeString(dir.resolve("s1"), "abc").toString(),
            file.toString()));
    assertUsage(
        run(
            "verify",
            "--secret-file",
            Files.writeString(dir.resolve("s2"), "0011223344").toString(),
            file.toString()));
    assertUsage(
        run(
            "verify",
            "--secret-file",
            Files.writeString(dir.resolve("s3"), "\n").toString(),
            file.toString()));
    assertUsage(run("verify", "--secret-file"));
    assertUsage(
        run("verify", "--secret-file", dir.resolve("missing.hex").toString(), file.toString()));
    Path good = Files.writeString(dir.resolve("good.hex"), GOOD_HEX + "\n");
    assertUsage(
        run("verify", "--secret-file", good.toString(), "--at", "yesterday", file.toString()));
    assertUsage(run("verify", "--secret-file", good.toString(), dir.resolve("missing").toString()));
  }

  @Test
  void secretsAreRefusedOnTheCommandLineWithWhereTheyGoInstead() throws Exception {
    Path file = Files.writeString(dir.resolve("q.json"), "{}");
    for (String[] args :
        List.of(
            new String[] {"verify", "--secret-hex", GOOD_HEX, file.toString()},
            new String[] {"collector", "--secret-hex", GOOD_HEX},
            new String[] {
              "collector", "--https", "--keystore", "k.p12", "--keystore-password", "pw-SECRETVALUE"
            },
            new String[] {"demo", "--keep-running", "--admin-password", "pw-SECRETVALUE"},
            new String[] {
              "demo", "--keep-running", "--user", "jane", "--user-password", "pw-SECRETVALUE"
            })) {
      Result r = run(args);
      assertUsage(r);
      assertTrue(r.err().contains("visible to every user"), r.err());
      assertTrue(r.err().contains("-file FILE or the environment variable OWLY_"), r.err());
      assertFalse(r.err().contains("SECRETVALUE"), r.err());
      assertFalse(r.err().contains(GOOD_HEX), r.err());
    }
  }

  @Test
  void verifyReadsTheSecretFromTheEnvironment() throws Exception {
    Path file = Files.writeString(dir.resolve("e.json"), "{}");
    Result r = runWith(Map.of("OWLY_SECRET_HEX", "abcd"), "verify", file.toString());
    assertUsage(r);
    assertTrue(r.err().contains("at least 20 bytes"), r.err());
    Result ok = runWith(Map.of("OWLY_SECRET_HEX", GOOD_HEX), "verify", file.toString());
    assertEquals(1, ok.code(), "a secret was read: the body is what fails: " + ok.err());
  }

  @Test
  void collectorRejectsBadOptions() {
    assertUsage(run("collector", "--port", "http"));
    assertUsage(run("collector", "--port", "70000"));
    assertUsage(run("collector", "--https"));
    assertUsage(run("collector", "--https", "--keystore", dir.resolve("none.p12").toString()));
    assertUsage(run("collector", "--secret-file", dir.resolve("none.hex").toString()));
    assertUsage(run("collector", "positional"));
  }

  @Test
  void demoServingOptionsNeedKeepRunning() {
    assertUsage(run("demo", "--port", "0"));
    assertUsage(run("demo", "--admin-password-file", "pw.txt"));
    assertUsage(run("demo", "--keep-running", "--user", "jane"));
    assertUsage(run("demo", "--keep-running", "--user-password-file", "pw.txt"));
    assertUsage(run("demo", "--keep-running", "--port", "70000"));
  }

  @Test
  void demoRejectsUnknownOptions() {
    assertUsage(run("demo", "--fast"));
    assertUsage(run("demo", "--data"));
  }
}
