package dev.owly.analytics.spi;

import java.util.List;

/** WIT {@code log}: level, code and counts; never content. */
@FunctionalInterface
public interface Log {
  void emit(Level level, String code, List<Counter> counts);
}
