package dev.owly.analytics.cli;

import dev.owly.analytics.core.Engine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options, {@code --flag} switches and positional arguments. */
final class Args {
  final Map<String, String> options = new HashMap<>();
  final List<String> positional = new ArrayList<>();

  static Args parse(List<String> args, Set<String> valued, Set<String> flags) {
    Args parsed = new Args();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--")) {
        if (flags.contains(a)) {
          parsed.options.put(a, "true");
        } else if (valued.contains(a)) {
          if (i + 1 >= args.size()) {
            throw new UsageException(a + " needs a value");
          }
          parsed.options.put(a, args.get(++i));
        } else {
          throw new UsageException("unknown option " + a);
        }
      } else {
        parsed.positional.add(a);
      }
    }
    return parsed;
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }

  String get(String name) {
    return options.get(name);
  }

  long getLong(String name, long fallback) {
    String v = options.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new UsageException(name + " must be an integer");
    }
  }

  /** {@code --engine aot|interpreter|graalwasm} (default aot). */
  Engine engine() {
    String v = options.get("--engine");
    if (v == null) {
      return Engine.AOT;
    }
    return switch (v) {
      case "aot" -> Engine.AOT;
      case "interpreter" -> Engine.INTERPRETER;
      case "graalwasm" -> Engine.GRAALWASM;
      default -> throw new UsageException("--engine must be aot, interpreter or graalwasm");
    };
  }

  int port(String name) {
    long p = getLong(name, 0);
    if (p < 0 || p > 65535) {
      throw new UsageException(name + " must be 0..65535");
    }
    return (int) p;
  }
}
