package dev.owly.analytics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.runtime.ModuleContract;
import dev.owly.analytics.runtime.ModuleSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The real core, as built by this build, on both engines: the build-time AOT translation must
 * behave exactly like Endive's interpreter on the same module. Each comparison runs the same
 * scripted session on both and compares everything observable.
 */
@Tag("core")
class EnginesTest {
  /** Accepted, rejected (schema, PII, malformed, oversized) and unencodable events. */
  static final List<String> EVENTS =
      List.of(
          HostileInputTest.EVENT,
          "{\"name\":\"owly.export.finished\",\"attributes\":{\"format\":\"csv\",\"duration_ms\":12}}",
          "{\"name\":\"owly.export.finished\",\"attributes\":{\"format\":\"csv\","
              + "\"duration_ms\":86400001}}",
          "{\"name\":\"owly.export.finished\",\"attributes\":{\"format\":\"jane@example.com\"}}",
          "{\"name\":\"owly.export.tables.jiraissue\"}",
          "{\"name\":\"owly.nope\"}",
          "{\"name\":\"owly.export.tables.propertyentry\",}",
          "{\"name\":\"\uD800\"}",
          "{\"name\":\"" + "a".repeat(70_000) + "\"}",
          "");

  @Test
  void theShippedModuleMatchesTheWorldSignatures() {
    assertEquals(
        List.of(),
        ModuleContract.problems(ModuleSource.interpreter().module()),
        "core module vs WitTypes");
  }

  @Test
  void aotIsTheDefaultEngine() {
    try (Core core = Core.builder(new TestCaps().capabilities()).build()) {
      assertEquals("aot", core.engine());
    }
  }

  /** Everything one session shows: verdicts, checks, preview, flush, bodies, inspect, stats. */
  private static List<Object> session(Engine engine) {
    TestCaps caps = new TestCaps();
    List<Object> out = new ArrayList<>();
    try (Core core = Core.builder(caps.capabilities()).withEngine(engine).withPoolSize(1).build()) {
      assertEquals(engine.name().toLowerCase(java.util.Locale.ROOT), core.engine());
      for (String e : EVENTS) {
        out.add(core.check(e));
        out.add(core.record(e));
      }
      out.add(core.preview());
      out.add(core.flush());
      out.add(List.copyOf(caps.bodies));
      List<String> bodies = new ArrayList<>(caps.bodies);
      for (String body : caps.bodies) {
        bodies.add(body.replaceFirst("\"nonce\":\"(\\d)", "\"nonce\":\"9"));
      }
      bodies.addAll(List.of("", "{}", "\uDC00", "{\"dataEncoded\":\"\"}"));
      long at = caps.clockMs.get() / 1000;
      for (String body : bodies) {
        out.add(outcome(() -> core.decode(body)));
        out.add(outcome(() -> core.verify(body, caps.secret, at, 1)));
        out.add(outcome(() -> core.verify(body, caps.secret, at + 3600, 1)));
        out.add(outcome(() -> core.verify(body, new byte[4], at, 0)));
      }
      out.add(core.stats());
      out.add(core.catalog());
      out.add(caps.storage.rows.values().stream().map(r -> r.data + " " + r.state).toList());
    }
    return out;
  }

  private static Object outcome(Supplier<Object> call) {
    try {
      return call.get();
    } catch (PayloadException e) {
      return "payload-error " + e.kind() + " " + e.reason();
    }
  }

  @Test
  void theInterpreterAndTheAotEngineGiveTheSameOutputsForTheSameInputs() {
    List<Object> interpreted = session(Engine.INTERPRETER);
    List<Object> aot = session(Engine.AOT);
    assertEquals(interpreted.size(), aot.size());
    for (int i = 0; i < aot.size(); i++) {
      assertEquals(interpreted.get(i), aot.get(i), "output " + i);
    }
    // The session is not trivial: something was accepted, rejected, sent and decoded.
    assertTrue(aot.contains(new Verdict(true, 1, null, null)), aot.toString());
    assertTrue(aot.stream().anyMatch(o -> o instanceof Verdict v && !v.accepted()));
    assertFalse(((List<?>) aot.get(2 * EVENTS.size() + 2)).isEmpty(), "no body was sent");
    assertTrue(aot.stream().anyMatch(o -> o instanceof Decoded d && d.hashOk()));
    assertTrue(aot.stream().anyMatch(o -> o instanceof Verified));
    assertTrue(aot.stream().anyMatch(o -> o instanceof String s && s.startsWith("payload-error")));
  }

  @TestFactory
  Stream<DynamicTest> everyGoldenReplayIsTheSameOnBothEngines() throws IOException {
    List<Path> files = GoldenParityTest.goldenFiles();
    assertFalse(files.isEmpty(), "no golden vectors");
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getFileName().toString(),
                    () ->
                        assertEquals(
                            GoldenParityTest.replay(f, Engine.INTERPRETER),
                            GoldenParityTest.replay(f, Engine.AOT))));
  }
}
