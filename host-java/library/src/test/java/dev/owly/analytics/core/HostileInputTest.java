package dev.owly.analytics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile input through every export of the real core, via the facade: never a crash. */
@Tag("core")
class HostileInputTest {
  static final String EVENT = "{\"name\":\"owly.export.tables.propertyentry\"}";

  static Stream<String> hostile() {
    return Stream.of(
        "",
        "{",
        "null",
        "[]",
        "{\"name\":\"owly.export.tables.propertyentry\",}",
        "{\"name\":\"\uD800\"}",
        "\uDC00",
        "{\"name\":\"" + "a".repeat(5 << 20) + "\"}",
        "x".repeat(6 << 20),
        "{\"name\":\"owly.export.finished\",\"attributes\":{\"format\":\""
            + "é".repeat(1 << 20)
            + "\"}}",
        "{\"name\":\"\u0000\"}",
        "{\"dataEncoded\":\"\",\"nonce\":\"1\",\"contentHash\":\"\",\"otp\":\"\"}");
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void everyExportRejectsHostileInputCleanlyAndKeepsWorking(String input) {
    TestCaps caps = new TestCaps();
    try (Core core =
        Core.builder(caps.capabilities()).withEngine(TestCaps.engine()).withPoolSize(1).build()) {
      Verdict v = core.record(input);
      assertFalse(v.accepted());
      assertNotNull(v.rule());
      CheckResult c = core.check(input);
      assertFalse(c.ok());
      assertNotNull(c.rule());
      assertThrows(PayloadException.class, () -> core.decode(input));
      assertThrows(
          PayloadException.class, () -> core.verify(input, caps.secret, 1_739_434_004L, 1));
      assertEquals(0, caps.storage.rows.size());
      assertTrue(core.record(EVENT).accepted(), "the core keeps working");
    }
  }
}
