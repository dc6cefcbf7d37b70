package dev.owly.analytics.core;

import dev.owly.analytics.spi.Capabilities;
import dev.owly.analytics.spi.Config;
import dev.owly.analytics.spi.Counter;
import dev.owly.analytics.spi.Header;
import dev.owly.analytics.spi.Level;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Settings;
import dev.owly.analytics.spi.Transport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** Scripted capabilities for tests: fixed clock, cycling entropy, scripted transport. */
final class TestCaps {
  /**
   * The engines the core tests run on: {@code -Dowly.test.engines=GRAALWASM} (the graalwasm module
   * reruns these tests there), default AOT and the interpreter. The first is the one tests that
   * need only one use.
   */
  static List<Engine> engines() {
    String names = System.getProperty("owly.test.engines", "AOT,INTERPRETER");
    List<Engine> out = new ArrayList<>();
    for (String n : names.split(",")) {
      out.add(Engine.valueOf(n.trim()));
    }
    return List.copyOf(out);
  }

  /** The engine of tests that run on one. */
  static Engine engine() {
    return engines().get(0);
  }

  final InMemoryStorage storage = new InMemoryStorage();
  final AtomicLong clockMs = new AtomicLong(1_739_433_204_000L);
  byte[] entropy = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9};
  final AtomicInteger entropyPos = new AtomicInteger();
  volatile Config config =
      new Config(
          Mode.REMOTE,
          "BWSN-B5B6-32P4-DDL7",
          "9.12.15",
          "0.9.9-b301041",
          true,
          0,
          Limits.defaults());
  volatile byte[] secret =
      "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
  final List<List<Header>> headers = Collections.synchronizedList(new ArrayList<>());
  final List<String> logCodes = Collections.synchronizedList(new ArrayList<>());

  /** Answers per send; the last one repeats. Called with the body. */
  volatile Function<String, Response> answer = body -> new Response(200, null);

  Capabilities capabilities() {
    Transport transport =
        request -> {
          bodies.add(request.body());
          headers.add(request.headers());
          return answer.apply(request.body());
        };
    Settings settings =
        new Settings() {
          @Override
          public Config get() {
            return config;
          }

          @Override
          public byte[] secret() {
            return secret;
          }
        };
    return new Capabilities(
        storage,
        transport,
        clockMs::get,
        len -> {
          byte[] out = new byte[len];
          for (int i = 0; i < len; i++) {
            out[i] = entropy[Math.floorMod(entropyPos.getAndIncrement(), entropy.length)];
          }
          return out;
        },
        settings,
        (Level level, String code, List<Counter> counts) -> logCodes.add(code));
  }

  void mode(Mode mode) {
    Config c = config;
    config =
        new Config(
            mode,
            c.serverId(),
            c.productVersion(),
            c.appVersion(),
            c.collectorConfigured(),
            c.retentionDays(),
            c.limits());
  }
}
