package dev.owly.analytics;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict text handling shared by every layer that touches untrusted bytes or writes JSON. */
public final class Text {
  private Text() {}

  /** Decodes UTF-8, refusing malformed input instead of replacing it with U+FFFD. */
  public static String strictUtf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  /** A JSON string literal; {@code null} becomes {@code null}. */
  public static String jsonQuote(String s) {
    if (s == null) {
      return "null";
    }
    return appendJsonQuoted(new StringBuilder(s.length() + 2), s).toString();
  }

  /**
   * Appends {@code s} as a JSON string literal. Control characters, surrogates (so a lone one can
   * never become invalid UTF-8) and {@code <} (so no answer can close a script element if it were
   * ever inlined) are written as {@code \\uXXXX}.
   */
  public static StringBuilder appendJsonQuoted(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || Character.isSurrogate(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }
}
