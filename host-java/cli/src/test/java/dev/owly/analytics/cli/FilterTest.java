package dev.owly.analytics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.core.CheckResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The filter's line handling, with a stand-in for the core's check. */
class FilterTest {
  /** Accepts {@code {"name":"ok"}}, rejects everything else as the core would. */
  static final Function<String, CheckResult> FAKE_CHECK =
      line ->
          line.equals("{\"name\":\"ok\"}")
              ? new CheckResult(true, "{\"ID\":\"0\",\"Name\":\"ok\"}", null, null)
              : new CheckResult(false, null, "json.malformed", "event");

  final List<String> seen = new ArrayList<>();

  List<String> filter(byte[] input) throws IOException {
    return filter(new ByteArrayInputStream(input));
  }

  List<String> filter(InputStream input) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Filter(
            line -> {
              seen.add(line);
              return FAKE_CHECK.apply(line);
            })
        .run(input, out);
    String text = out.toString(StandardCharsets.UTF_8);
    return text.isEmpty()
        ? List.of()
        : List.of(text.split("\n", -1)).subList(0, text.split("\n", -1).length - 1);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesOneVerdictLinePerInputLine() throws IOException {
    List<String> out = filter(utf8("{\"name\":\"ok\"}\n{\"name\":\"bad\"}\n"));
    assertEquals(
        List.of(
            "{\"ok\":true,\"row\":{\"ID\":\"0\",\"Name\":\"ok\"}}",
            "{\"ok\":false,\"rule\":\"json.malformed\",\"field\":\"event\"}"),
        out);
  }

  @Test
  void aLastLineWithoutNewlineAndCrlfEndingsAreHandled() throws IOException {
    List<String> out = filter(utf8("{\"name\":\"ok\"}\r\n{\"name\":\"ok\"}"));
    assertEquals(2, out.size());
    assertTrue(out.stream().allMatch(l -> l.startsWith("{\"ok\":true")));
  }

  @Test
  void blankLinesGetARejectionSoLineCountsMatch() throws IOException {
    List<String> out = filter(utf8("\n   \n{\"name\":\"ok\"}\n"));
    assertEquals(3, out.size());
    assertEquals("{\"ok\":false,\"rule\":\"input.blank\",\"field\":\"event\"}", out.get(0));
    assertEquals("{\"ok\":false,\"rule\":\"input.blank\",\"field\":\"event\"}", out.get(1));
    assertEquals(1, seen.size(), "blank lines never reach the core");
  }

  @Test
  void invalidUtf8IsRejectedPerLineWithoutReachingTheCore() throws IOException {
    byte[] input = {
      '{', (byte) 0xC3, (byte) 0x28, '}', '\n', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'
    };
    List<String> out = filter(input);
    assertEquals(
        List.of(
            "{\"ok\":false,\"rule\":\"input.utf8\",\"field\":\"event\"}",
            "{\"ok\":false,\"rule\":\"input.utf8\",\"field\":\"event\"}"),
        out);
    assertTrue(seen.isEmpty());
  }

  @Test
  void anOversizedLineIsRejectedAndTheNextLineStillWorks() throws IOException {
    byte[] huge = new byte[3 * Filter.MAX_LINE_BYTES];
    java.util.Arrays.fill(huge, (byte) 'x');
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.write(huge);
    input.write(utf8("\n{\"name\":\"ok\"}\n"));
    input.write(huge); // unterminated at end of input
    List<String> out = filter(input.toByteArray());
    assertEquals(3, out.size());
    assertEquals("{\"ok\":false,\"rule\":\"@oversized\",\"field\":\"event\"}", out.get(0));
    assertTrue(out.get(1).startsWith("{\"ok\":true"));
    assertEquals("{\"ok\":false,\"rule\":\"@oversized\",\"field\":\"event\"}", out.get(2));
  }

  @Test
  void aLineOfExactlyTheCapIsStillChecked() throws IOException {
    byte[] line = new byte[Filter.MAX_LINE_BYTES];
    java.util.Arrays.fill(line, (byte) ' ');
    line[0] = '{';
    line[line.length - 1] = '}';
    assertEquals(
        List.of("{\"ok\":false,\"rule\":\"json.malformed\",\"field\":\"event\"}"), filter(line));
  }

  @Test
  void binaryGarbageNeverCrashesAndYieldsOneLinePerNewline() throws IOException {
    byte[] garbage = new byte[1 << 20];
    new Random(7).nextBytes(garbage);
    int newlines = 0;
    for (byte b : garbage) {
      if (b == '\n') {
        newlines++;
      }
    }
    int expected = newlines + (garbage[garbage.length - 1] == '\n' ? 0 : 1);
    List<String> out = filter(garbage);
    assertEquals(expected, out.size());
    assertTrue(out.stream().allMatch(l -> l.startsWith("{\"ok\":false,\"rule\":")));
  }

  @Test
  void aFailingCoreCallBecomesAHostErrorLine() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Filter(
            line -> {
              throw new IllegalStateException("trap");
            })
        .run(new ByteArrayInputStream(utf8("{}\n")), out);
    assertEquals(
        "{\"ok\":false,\"rule\":\"host.error\",\"field\":\"\"}\n",
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void rulesAndFieldsAreJsonEscaped() {
    assertEquals(
        "{\"ok\":false,\"rule\":\"a\\\"b\",\"field\":\"c\\\\d\\u0001\"}",
        Filter.rejection("a\"b", "c\\d\u0001"));
  }
}
