package dev.owly.analytics.api;

import dev.owly.analytics.Text;
import java.math.BigInteger;
import java.util.Map;

/**
 * Turns {@code (name, attributes)} into the event JSON the core's {@code record} takes.
 *
 * <p>No judgement happens here: the core is the one place that decides what is acceptable, so every
 * value is passed on faithfully (floats as numbers, nested maps as objects) and the core rejects
 * what does not fit the catalogue with its rule id. Values of any other Java type are never
 * rendered with {@code toString()} (it could carry content); they become an object the core rejects
 * as the wrong type.
 */
final class EventJson {
  private EventJson() {}

  static String of(String name, Map<String, ?> attributes) {
    StringBuilder out = new StringBuilder(96);
    out.append("{\"name\":");
    Text.appendJsonQuoted(out, name == null ? "" : name);
    out.append(",\"attributes\":");
    value(out, attributes == null ? Map.of() : attributes, 0);
    return out.append('}').toString();
  }

  private static void value(StringBuilder out, Object v, int depth) {
    if (depth > 4) {
      out.append("{\"nested\":true}"); // the core's depth limit rejects it either way
    } else if (v == null) {
      out.append("null");
    } else if (v instanceof CharSequence s) {
      Text.appendJsonQuoted(out, s.toString());
    } else if (v instanceof Boolean b) {
      out.append(b);
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte
        || v instanceof BigInteger) {
      out.append(v);
    } else if (v instanceof Number n) {
      double d = n.doubleValue();
      out.append(Double.isFinite(d) ? Double.toString(d) : "null");
    } else if (v instanceof Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        Text.appendJsonQuoted(out, String.valueOf(e.getKey() instanceof CharSequence k ? k : "?"));
        out.append(':');
        value(out, e.getValue(), depth + 1);
      }
      out.append('}');
    } else if (v instanceof Iterable<?> items) {
      out.append('[');
      boolean first = true;
      for (Object item : items) {
        if (!first) {
          out.append(',');
        }
        first = false;
        value(out, item, depth + 1);
      }
      out.append(']');
    } else {
      out.append("{\"unsupported-type\":true}");
    }
  }
}
