package dev.owly.analytics.admin;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader for the small JSON bodies of the admin API (RFC 8259): one object at the top, no
 * duplicate keys, nesting at most {@value #MAX_DEPTH} deep. Values become {@link Map}, {@link
 * List}, {@link String}, {@link Long} (integers that fit), {@link BigDecimal}, {@link Boolean} or
 * {@link #NULL}. Anything else is a {@link BadRequestException} {@code malformed-json}.
 */
final class JsonBody {
  /** JSON {@code null} (maps cannot hold Java null and still tell "absent" apart). */
  static final Object NULL = new Object();

  static final int MAX_DEPTH = 16;
  private static final String MALFORMED = "malformed-json";

  private final String text;
  private int pos;

  private JsonBody(String text) {
    this.text = text;
  }

  /** Parses a body that must be one JSON object. */
  static Map<String, Object> object(String text) {
    JsonBody p = new JsonBody(text);
    p.skipSpace();
    if (p.peek() != '{') {
      throw new BadRequestException(MALFORMED);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> value = (Map<String, Object>) p.value(0);
    p.skipSpace();
    if (p.pos != text.length()) {
      throw new BadRequestException(MALFORMED);
    }
    return value;
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw new BadRequestException(MALFORMED);
    }
    skipSpace();
    char c = peek();
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", NULL);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw new BadRequestException(MALFORMED);
    }
  }

  private Map<String, Object> object(int depth) {
    pos++; // {
    Map<String, Object> map = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw new BadRequestException(MALFORMED);
      }
      String key = string();
      skipSpace();
      expect(':');
      Object v = value(depth + 1);
      if (map.put(key, v) != null) {
        throw new BadRequestException(MALFORMED);
      }
      skipSpace();
      char c = next();
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        throw new BadRequestException(MALFORMED);
      }
    }
  }

  private List<Object> array(int depth) {
    pos++; // [
    List<Object> list = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      list.add(value(depth + 1));
      skipSpace();
      char c = next();
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        throw new BadRequestException(MALFORMED);
      }
    }
  }

  private String string() {
    pos++; // "
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw new BadRequestException(MALFORMED);
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw new BadRequestException(MALFORMED);
          }
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos++), 16);
            if (d < 0) {
              throw new BadRequestException(MALFORMED);
            }
            code = code * 16 + d;
          }
          out.append((char) code);
        }
        default -> throw new BadRequestException(MALFORMED);
      }
    }
  }

  private Object number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw new BadRequestException(MALFORMED);
    }
    boolean integer = true;
    if (peek() == '.') {
      integer = false;
      pos++;
      if (!isDigit(peek())) {
        throw new BadRequestException(MALFORMED);
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      integer = false;
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw new BadRequestException(MALFORMED);
      }
      digits();
    }
    String token = text.substring(start, pos);
    if (integer && token.length() <= 18) {
      return Long.parseLong(token);
    }
    return new BigDecimal(token);
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw new BadRequestException(MALFORMED);
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) {
    if (next() != c) {
      throw new BadRequestException(MALFORMED);
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private char next() {
    if (pos >= text.length()) {
      throw new BadRequestException(MALFORMED);
    }
    return text.charAt(pos++);
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }
}
