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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on the real core module: the demo end to end (H2, collector, OCRA), and its saved
 * payloads re-verified by {@code verify} and {@code decode}.
 */
class CoreEndToEndTest {
  @TempDir static Path dir;

  record Result(int code, String out, String err) {}

  static Result run(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new ByteArrayInputStream(stdin),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Result run(String... args) {
    return run(new byte[0], args);
  }

  @Test
  void theDemoDeliversEveryAcceptedEventAndItsSavedPayloadsVerify() throws Exception {
    Path data = dir.resolve("data");
    Path payloads = dir.resolve("payloads");
    Result demo = run("demo", "--data", data.toString(), "--payload-dir", payloads.toString());
    assertEquals(0, demo.code(), demo.out() + demo.err());
    assertTrue(demo.out().contains("OK:"), demo.out());
    assertFalse(demo.out().contains("@example.com"), "no rejected content in the summary");

    String secret = Files.readString(payloads.resolve("secret.hex")).trim();
    List<String> received = Files.readAllLines(payloads.resolve("received.jsonl"));
    assertFalse(received.isEmpty());
    Pattern line =
        Pattern.compile("\\{\"file\":\"(payload-\\d{4}\\.json)\",\"received_at\":(\\d+)\\}");
    for (String entry : received) {
      Matcher m = line.matcher(entry);
      assertTrue(m.matches(), entry);
      String file = payloads.resolve(m.group(1)).toString();
      Result verify =
          run(
              "verify",
              "--secret-file",
              payloads.resolve("secret.hex").toString(),
              "--at",
              m.group(2),
              file);
      assertEquals(0, verify.code(), verify.err());
      assertTrue(verify.out().contains("\"tenant\":\"DEMO-0000-0000-0001\""), verify.out());
      Result decode = run("decode", file);
      assertEquals(0, decode.code(), decode.err());
      assertTrue(decode.out().contains("\"hashOk\":true"));
      assertTrue(decode.out().contains("\"data\":{\"dataRows\":[{\"ID\":\""));
    }

    // a second run on the same folder works too (earlier rows are cleared, new nonces)
    assertEquals(0, run("demo", "--data", data.toString()).code());
  }

  @Test
  void verifyRefusesAWrongSecretATamperedBodyAndGarbage() throws Exception {
    Path payloads = dir.resolve("p2");
    assertEquals(
        0,
        run("demo", "--data", dir.resolve("d2").toString(), "--payload-dir", payloads.toString())
            .code());
    Path file = payloads.resolve("payload-0001.json");
    String at =
        Files.readAllLines(payloads.resolve("received.jsonl"))
            .get(0)
            .replaceAll(".*\"received_at\":(\\d+).*", "$1");
    Path zeros = Files.writeString(dir.resolve("zeros.hex"), "00".repeat(32));
    Result wrong = run("verify", "--secret-file", zeros.toString(), "--at", at, file.toString());
    assertEquals(1, wrong.code());
    assertTrue(wrong.err().contains("otp-mismatch"), wrong.err());

    String body = Files.readString(file);
    // Change the nonce's first digit to a different one (the nonce is random: it may start with 9).
    int at0 = body.indexOf("\"nonce\":\"") + "\"nonce\":\"".length();
    char other = body.charAt(at0) == '9' ? '8' : '9';
    Path tampered =
        Files.writeString(
            dir.resolve("tampered.json"), body.substring(0, at0) + other + body.substring(at0 + 1));
    String secret = payloads.resolve("secret.hex").toString();
    assertEquals(1, run("verify", "--secret-file", secret, "--at", at, tampered.toString()).code());
    assertEquals(1, run("decode", tampered.toString()).code());

    Path garbage = dir.resolve("garbage.bin");
    byte[] bytes = new byte[4096];
    new java.util.Random(3).nextBytes(bytes);
    Files.write(garbage, bytes);
    assertEquals(1, run("decode", garbage.toString()).code());
    Path huge = dir.resolve("huge.json");
    Files.write(huge, new byte[Main.MAX_PAYLOAD_FILE_BYTES + 10]);
    Result tooLarge = run("decode", huge.toString());
    assertEquals(1, tooLarge.code());
    assertTrue(tooLarge.err().contains("too-large"), tooLarge.err());
  }

  @Test
  void filterAnswersEveryLineWithTheRealCore() {
    String input =
        String.join(
            "\n",
            "{\"name\":\"owly.view.settings\",\"attributes\":{}}",
            "{\"name\":\"owly.export.failed\",\"attributes\":{\"reason\":\"jane.doe@example.com\"}}",
            "",
            "{\"name\":\"owly.user.login\",\"attributes\":{}}",
            "not json");
    Result r = run(input.getBytes(StandardCharsets.UTF_8), "filter");
    assertEquals(0, r.code());
    String[] lines = r.out().split("\n");
    assertEquals(5, lines.length, r.out());
    assertTrue(lines[0].startsWith("{\"ok\":true,\"row\":{\"ID\":\"0\""), lines[0]);
    for (int i = 1; i < 5; i++) {
      assertTrue(lines[i].startsWith("{\"ok\":false,\"rule\":\""), lines[i]);
      assertFalse(lines[i].contains("jane.doe"), "no content in a rejection");
    }
  }
}
