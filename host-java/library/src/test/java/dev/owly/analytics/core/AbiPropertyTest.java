package dev.owly.analytics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.spi.Capabilities;
import dev.owly.analytics.spi.Config;
import dev.owly.analytics.spi.NewRow;
import dev.owly.analytics.spi.Row;
import dev.owly.analytics.spi.Storage;
import dev.owly.analytics.spi.StorageException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Generated WIT values through the real core module (AOT) and back, across every crossing the
 * contract has: export arguments and results ({@code record}, {@code check}, {@code preview},
 * {@code decode}), import results lowered into the guest (storage rows and errors, settings, clock,
 * the ids {@code storage.append} returns) and import arguments lifted from it ({@code append}'s
 * row). Strings take every UTF-16 shape (ASCII, 2- and 3-byte, astral pairs, lone surrogates);
 * integers the extremes of every width. Bounded: a few hundred tries, seconds in {@code mvn
 * verify}.
 */
@Tag("core")
class AbiPropertyTest {
  private static final String EVENT = HostileInputTest.EVENT;

  /** What the capabilities hand to the guest in the current try. */
  private static final AtomicReference<Function<String, Object>> SCRIPT =
      new AtomicReference<>(m -> null);

  private static final TestCaps CAPS = new TestCaps();
  private static final List<NewRow> APPENDED = new ArrayList<>();
  private static final Core CORE = Core.builder(scripted()).withPoolSize(1).build();

  @AfterContainer
  static void closeCore() {
    CORE.close();
  }

  /** The test capabilities, with append and peek answering from {@link #SCRIPT}. */
  private static Capabilities scripted() {
    Storage real = CAPS.storage;
    Storage s =
        (Storage)
            Proxy.newProxyInstance(
                Storage.class.getClassLoader(),
                new Class<?>[] {Storage.class},
                (proxy, m, args) -> {
                  Object answer = SCRIPT.get().apply(m.getName());
                  if (m.getName().equals("append")) {
                    APPENDED.add((NewRow) args[0]);
                  }
                  if (answer instanceof RuntimeException e) {
                    throw e;
                  }
                  if (answer != null) {
                    return answer;
                  }
                  try {
                    return m.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    Capabilities c = CAPS.capabilities();
    return new Capabilities(s, c.transport(), c.clock(), c.entropy(), c.settings(), c.log());
  }

  // ---------------------------------------------------------------- generators

  /** Text of every UTF-16 shape, lone surrogates included. */
  @Provide
  Arbitrary<String> text() {
    Arbitrary<String> piece =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.chars().ascii().map(String::valueOf)),
            net.jqwik.api.Tuple.of(
                2, Arbitraries.chars().range('\u0080', '\u07FF').map(String::valueOf)),
            net.jqwik.api.Tuple.of(
                2, Arbitraries.chars().range('\u0800', '\uD7FF').map(String::valueOf)),
            net.jqwik.api.Tuple.of(
                1, Arbitraries.chars().range('\uE000', '\uFFFF').map(String::valueOf)),
            net.jqwik.api.Tuple.of(
                2,
                Arbitraries.integers()
                    .between(0x10000, 0x10FFFF)
                    .map(cp -> new String(Character.toChars(cp)))),
            net.jqwik.api.Tuple.of(
                1, Arbitraries.chars().range('\uD800', '\uDFFF').map(String::valueOf)));
    return piece.list().ofMaxSize(40).map(l -> String.join("", l));
  }

  /** Events the catalogue knows, with generated values, mixed with arbitrary text. */
  @Provide
  Arbitrary<String> events() {
    Arbitrary<String> known =
        Combinators.combine(
                Arbitraries.of("csv", "json", "xlsx", "sql"),
                Arbitraries.oneOf(
                    Arbitraries.longs().between(-1, 86_400_001), extremes(Long.MIN_VALUE)),
                text())
            .as(
                (format, duration, extra) ->
                    "{\"name\":\"owly.export.finished\",\"attributes\":{\"format\":\""
                        + format
                        + "\",\"duration_ms\":"
                        + duration
                        + "}"
                        + (extra.isEmpty()
                            ? ""
                            : ",\"x\":" + dev.owly.analytics.Text.jsonQuote(extra))
                        + "}");
    return Arbitraries.oneOf(known, text(), Arbitraries.just(EVENT));
  }

  /** Every long, weighted to the extremes of each integer width. */
  private static Arbitrary<Long> extremes(long floor) {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(floor, Long.MAX_VALUE),
        Arbitraries.of(
                0L,
                1L,
                -1L,
                255L,
                256L,
                65_535L,
                65_536L,
                (long) Integer.MAX_VALUE,
                (long) Integer.MIN_VALUE,
                0xFFFF_FFFFL,
                1L << 32,
                Long.MAX_VALUE,
                Long.MIN_VALUE)
            .filter(v -> v >= floor));
  }

  @Provide
  Arbitrary<Long> u64() {
    return extremes(Long.MIN_VALUE);
  }

  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static void reset() {
    SCRIPT.set(m -> null);
    APPENDED.clear();
    CAPS.storage.rows.clear();
  }

  // ---------------------------------------------------------------- properties

  @Property(tries = 300)
  void recordAndCheckAgreeOnEveryEventAndNeverThrow(@ForAll("events") String event) {
    reset();
    CheckResult c = CORE.check(event);
    Verdict v = CORE.record(event);
    assertEquals(c.ok(), v.accepted(), () -> c + " vs " + v);
    if (!wellFormed(event)) {
      assertEquals(Core.HOST_ENCODING, v.rule());
      assertEquals(Core.HOST_ENCODING, c.rule());
      return;
    }
    if (c.ok()) {
      // The row crossed the ABI twice: check's result string, and append's lifted argument.
      assertEquals(1, APPENDED.size());
      NewRow row = APPENDED.get(0);
      assertTrue(c.rowJson().contains("\"Name\":\"" + row.name() + "\""), c.rowJson());
      assertEquals(CAPS.config.serverId(), row.tenant());
    } else {
      assertEquals(c.rule(), v.rule());
      assertEquals(c.field(), v.field());
      assertTrue(APPENDED.isEmpty());
    }
  }

  @Property(tries = 200)
  void theIdStorageReturnsIsTheIdRecordReturns(@ForAll("u64") long id) {
    reset();
    SCRIPT.set(m -> m.equals("append") ? id : null);
    Verdict v = CORE.record(EVENT);
    assertTrue(v.accepted(), v.toString());
    assertEquals(id, v.rowId());
  }

  @Property(tries = 300)
  void aStorageErrorComesBackThroughPreviewAsSentOrAsHostEncoding(
      @ForAll StorageException.Kind kind, @ForAll("text") String message) {
    reset();
    SCRIPT.set(m -> m.equals("peek") ? new StorageException(kind, message) : null);
    StorageException e = assertThrows(StorageException.class, CORE::preview);
    if (kind == StorageException.Kind.LOST_CLAIM) {
      assertEquals(StorageException.Kind.LOST_CLAIM, e.kind());
      return;
    }
    String sent = message.isEmpty() ? kind.name().toLowerCase(java.util.Locale.ROOT) : message;
    // Codes are capped at 200 chars, one less where 200 would split a pair.
    if (sent.length() > 200) {
      boolean pair =
          Character.isHighSurrogate(sent.charAt(199)) && Character.isLowSurrogate(sent.charAt(200));
      int end = pair ? 199 : 200;
      sent = sent.substring(0, end);
    }
    if (wellFormed(sent)) {
      assertEquals(kind, e.kind());
      assertEquals(sent, e.getMessage());
    } else {
      assertEquals(StorageException.Kind.OTHER, e.kind());
      assertEquals("host.encoding", e.getMessage());
    }
    // Whatever happened, the instance is usable.
    SCRIPT.set(m -> null);
    assertTrue(CORE.record(EVENT).accepted());
  }

  @Property(tries = 100)
  void storedRowsComeBackThroughPreviewAndDecodeWithTheirIds(@ForAll("rows") List<Row> rows) {
    reset();
    SCRIPT.set(m -> m.equals("peek") ? rows : null);
    boolean lone = rows.stream().anyMatch(r -> !wellFormed(r.data().name()));
    if (lone) {
      StorageException e = assertThrows(StorageException.class, CORE::preview);
      assertEquals("host.encoding", e.getMessage());
      return;
    }
    List<Row> valid =
        rows.stream()
            .filter(r -> r.data().recordedAt() >= 0 && r.data().recordedAt() <= 253_402_300_799L)
            .filter(r -> r.data().name().equals(template().name()))
            .toList();
    var body = CORE.preview();
    if (valid.isEmpty()) {
      assertFalse(body.isPresent());
      return;
    }
    Decoded d = CORE.decode(body.orElseThrow());
    assertTrue(d.hashOk());
    assertEquals(valid.size(), d.rowCount());
    for (Row r : valid) {
      assertTrue(
          d.dataJson().contains("\"ID\":\"" + Long.toUnsignedString(r.id()) + "\""), d.dataJson());
    }
  }

  private static NewRow template;

  /** A row exactly as the core stores {@link #EVENT}. */
  private static synchronized NewRow template() {
    if (template == null) {
      reset();
      assertTrue(CORE.record(EVENT).accepted());
      template = APPENDED.get(0);
    }
    return template;
  }

  @Provide
  Arbitrary<List<Row>> rows() {
    NewRow t = template();
    Arbitrary<String> name =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, Arbitraries.just(t.name())),
            net.jqwik.api.Tuple.of(1, text()));
    Arbitrary<Long> recordedAt =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, 253_402_300_799L),
            Arbitraries.of(-1L, 253_402_300_800L, Long.MIN_VALUE, Long.MAX_VALUE));
    Arbitrary<Row> row =
        Combinators.combine(u64(), name, recordedAt)
            .as(
                (id, n, at) ->
                    new Row(
                        id,
                        new NewRow(
                            n,
                            t.tenant(),
                            t.productVersion(),
                            t.appVersion(),
                            at,
                            t.attributes())));
    // storage.peek's contract: oldest first, ids ascending (as u64). The core trusts that order;
    // rows out of order give a body its own strict decode refuses (found by this test).
    return row.list()
        .ofMinSize(1)
        .ofMaxSize(8)
        .uniqueElements(Row::id)
        .map(l -> l.stream().sorted((a, b) -> Long.compareUnsigned(a.id(), b.id())).toList());
  }

  @Property(tries = 60)
  void settingsAndClockValuesReachTheStoredRowVerbatim(
      @ForAll("serverIds") String serverId,
      @ForAll("versions") String version,
      @ForAll("u64") long nowMs,
      @ForAll("u64") long retention) {
    // A fresh core each try: the core caches settings for a while.
    TestCaps caps = new TestCaps();
    Config base = caps.config;
    caps.config =
        new Config(
            base.mode(),
            serverId,
            version,
            base.appVersion(),
            base.collectorConfigured(),
            (int) retention,
            base.limits());
    caps.clockMs.set(nowMs);
    try (Core core = Core.builder(caps.capabilities()).withPoolSize(1).build()) {
      Verdict v = core.record(EVENT);
      if (!wellFormed(serverId) || !wellFormed(version)) {
        assertEquals(Core.HOST_ERROR, v.rule(), "settings.get cannot be lowered");
        return;
      }
      boolean validId = serverId.matches("[A-Z0-9]{4}(-[A-Z0-9]{4}){3}");
      boolean validVersion = version.matches("[0-9A-Za-z][0-9A-Za-z.+_-]{0,31}");
      if (!validId || !validVersion) {
        assertFalse(v.accepted(), v.toString());
        assertTrue(v.rule().startsWith("settings."), v.rule());
        return;
      }
      if (!v.accepted()) {
        // A clock outside year 0..9999 may be refused; never by a settings rule.
        assertFalse(v.rule().startsWith("settings."), v.rule());
        return;
      }
      NewRow row = caps.storage.rows.values().iterator().next().data;
      assertEquals(serverId, row.tenant());
      assertEquals(version, row.productVersion());
      assertEquals(Math.floorDiv(nowMs, 1000), row.recordedAt());
    }
  }

  @Provide
  Arbitrary<String> serverIds() {
    Arbitrary<String> block = Arbitraries.strings().withChars("ABCXYZ0189").ofLength(4);
    Arbitrary<String> valid =
        Combinators.combine(block, block, block, block)
            .as((a, b, c, d) -> a + "-" + b + "-" + c + "-" + d);
    return Arbitraries.oneOf(valid, valid, text());
  }

  @Provide
  Arbitrary<String> versions() {
    Arbitrary<String> valid =
        Combinators.combine(
                Arbitraries.strings().alpha().numeric().ofLength(1),
                Arbitraries.strings().alpha().numeric().withChars(".+_-").ofMaxLength(31))
            .as((a, b) -> a + b);
    return Arbitraries.oneOf(valid, valid, text());
  }
}
