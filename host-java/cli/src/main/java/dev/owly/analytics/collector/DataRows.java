package dev.owly.analytics.collector;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits the core's canonical {@code {"dataRows":[…]}} text (already strictly decoded by the core)
 * into one JSON text per row, and reads the leading fields every row starts with.
 */
final class DataRows {
  private static final String PREFIX = "{\"dataRows\":[";
  private static final Pattern HEAD =
      Pattern.compile(
          "^\\{\"ID\":\"(\\d{1,20})\",\"ProductTenant\":\"([A-Z0-9-]{1,64})\",\"Name\":\"([a-z0-9._<>-]{1,255})\"");

  /** The fields every row starts with. */
  record Head(long id, String tenant, String name) {}

  private DataRows() {}

  static List<String> split(String dataJson) {
    if (!dataJson.startsWith(PREFIX) || !dataJson.endsWith("]}")) {
      throw new IllegalArgumentException("not dataRows");
    }
    String inner = dataJson.substring(PREFIX.length(), dataJson.length() - 2);
    List<String> rows = new ArrayList<>();
    int depth = 0;
    int start = 0;
    boolean inString = false;
    for (int i = 0; i < inner.length(); i++) {
      char ch = inner.charAt(i);
      if (inString) {
        if (ch == '\\') {
          i++;
        } else if (ch == '"') {
          inString = false;
        }
      } else if (ch == '"') {
        inString = true;
      } else if (ch == '{') {
        if (depth == 0) {
          start = i;
        }
        depth++;
      } else if (ch == '}') {
        depth--;
        if (depth == 0) {
          rows.add(inner.substring(start, i + 1));
        }
      }
    }
    return rows;
  }

  static Optional<Head> head(String rowJson) {
    Matcher m = HEAD.matcher(rowJson);
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Head(Long.parseLong(m.group(1)), m.group(2), m.group(3)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The tenant of the first row: all rows of a payload share it (the core checks that). */
  static Optional<String> tenant(String dataJson) {
    List<String> rows = split(dataJson);
    return rows.isEmpty() ? Optional.empty() : head(rows.get(0)).map(Head::tenant);
  }
}
