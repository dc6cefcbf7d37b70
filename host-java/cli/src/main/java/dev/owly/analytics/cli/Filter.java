package dev.owly.analytics.cli;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.Text;
import dev.owly.analytics.core.CheckResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * {@code owly filter}: JSONL events in, exactly one JSON line out per input line (blank and broken
 * lines included, so line numbers match): {@code {"ok":true,"row":{…}}} or {@code
 * {"ok":false,"rule":"…","field":"…"}}. Input is read as bytes and decoded strictly; a line longer
 * than {@link #MAX_LINE_BYTES} is skipped to its end without being held in memory.
 */
final class Filter {
  static final int MAX_LINE_BYTES = 1 << 20;

  static final String RULE_UTF8 = "input.utf8";
  static final String RULE_OVERSIZED = "@oversized";
  static final String RULE_BLANK = "input.blank";
  static final String RULE_HOST = "host.error";

  private final Function<String, CheckResult> check;

  Filter(Function<String, CheckResult> check) {
    this.check = requireNonNull(check, "check");
  }

  /** Returns the number of lines processed. */
  long run(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean oversized = false;
    boolean pending = false; // bytes seen since the last newline
    long lines = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n') {
          if (!oversized) {
            append(line, buffer, start, i - start);
            oversized = line.size() > MAX_LINE_BYTES;
          }
          emit(out, line, oversized);
          lines++;
          line.reset();
          oversized = false;
          pending = false;
          start = i + 1;
        }
      }
      if (start < n) {
        pending = true;
        if (!oversized) {
          append(line, buffer, start, n - start);
          if (line.size() > MAX_LINE_BYTES) {
            oversized = true;
            line.reset();
          }
        }
      }
    }
    if (pending) {
      emit(out, line, oversized);
      lines++;
    }
    out.flush();
    return lines;
  }

  private static void append(ByteArrayOutputStream line, byte[] b, int off, int len) {
    if (len > 0) {
      line.write(b, off, len);
    }
  }

  private void emit(OutputStream out, ByteArrayOutputStream raw, boolean oversized)
      throws IOException {
    String answer;
    if (oversized) {
      answer = rejection(RULE_OVERSIZED, "event");
    } else {
      byte[] bytes = raw.toByteArray();
      int len = bytes.length;
      if (len > 0 && bytes[len - 1] == '\r') {
        len--;
      }
      String text = decodeStrict(bytes, len);
      if (text == null) {
        answer = rejection(RULE_UTF8, "event");
      } else if (text.isBlank()) {
        answer = rejection(RULE_BLANK, "event");
      } else {
        answer = judge(text);
      }
    }
    out.write(answer.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }

  private String judge(String text) {
    CheckResult result;
    try {
      result = check.apply(text);
    } catch (RuntimeException e) {
      return rejection(RULE_HOST, "");
    }
    if (result == null) {
      return rejection(RULE_HOST, "");
    }
    if (result.ok()) {
      return "{\"ok\":true,\"row\":" + result.rowJson() + "}";
    }
    return rejection(result.rule(), result.field());
  }

  static String rejection(String rule, String field) {
    return "{\"ok\":false,\"rule\":"
        + Text.jsonQuote(rule)
        + ",\"field\":"
        + Text.jsonQuote(field == null ? "" : field)
        + "}";
  }

  private static String decodeStrict(byte[] bytes, int len) {
    try {
      return Text.strictUtf8(java.util.Arrays.copyOf(bytes, len));
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
