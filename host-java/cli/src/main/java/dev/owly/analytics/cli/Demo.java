package dev.owly.analytics.cli;

import dev.owly.analytics.Text;
import dev.owly.analytics.admin.AdminApi;
import dev.owly.analytics.admin.StandaloneAccess;
import dev.owly.analytics.admin.jdk.JdkAdminServer;
import dev.owly.analytics.collector.Collector;
import dev.owly.analytics.collector.CollectorStore;
import dev.owly.analytics.collector.PayloadVerifier;
import dev.owly.analytics.core.AttributeSpec;
import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.Engine;
import dev.owly.analytics.core.EventSpec;
import dev.owly.analytics.core.FlushReport;
import dev.owly.analytics.core.Verdict;
import dev.owly.analytics.settings.Hex;
import dev.owly.analytics.settings.JdbcSettings;
import dev.owly.analytics.spi.Capabilities;
import dev.owly.analytics.spi.Entropy;
import dev.owly.analytics.spi.Level;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.standalone.DataSources;
import dev.owly.analytics.storage.DailyCounters;
import dev.owly.analytics.storage.JdbcStorage;
import dev.owly.analytics.transport.ConfiguredTransport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * {@code owly demo}: the whole pipeline on one machine, offline. An H2 database in the data folder,
 * a reference collector on 127.0.0.1 (random port, plain HTTP: loopback only), mode remote; records
 * a realistic stream of feature events, some of which the filter must reject, flushes, and checks
 * that the collector verified and stored every accepted row.
 */
final class Demo {
  static final int VALID_EVENTS = 180;
  static final int DEMO_BATCH_ROWS = 50;

  private Demo() {}

  static int run(List<String> rest, PrintStream out, PrintStream err) throws IOException {
    Args a =
        Args.parse(
            rest,
            Set.of(
                "--data",
                "--payload-dir",
                "--seed",
                "--port",
                "--admin-user",
                "--admin-password",
                "--user",
                "--user-password",
                "--www",
                "--history",
                "--engine"),
            Set.of("--keep-running"));
    if (!a.positional.isEmpty()) {
      throw new UsageException("demo takes no positional arguments");
    }
    Engine engine = a.engine();
    boolean keepRunning = a.flag("--keep-running");
    for (String serving :
        List.of(
            "--port",
            "--admin-user",
            "--admin-password",
            "--user",
            "--user-password",
            "--www",
            "--history")) {
      if (a.get(serving) != null && !keepRunning) {
        throw new UsageException(serving + " needs --keep-running");
      }
    }
    if ((a.get("--user") == null) != (a.get("--user-password") == null)) {
      throw new UsageException("--user and --user-password go together");
    }
    int adminPort = a.port("--port");
    Path data = Path.of(a.options.getOrDefault("--data", "owly-data"));
    Path payloadDir = a.get("--payload-dir") == null ? null : Path.of(a.get("--payload-dir"));
    long seed = a.getLong("--seed", 42);
    long history = a.getLong("--history", 0);
    if (history < 0 || history > DemoHistory.MAX_DAYS) {
      throw new UsageException("--history must be 0.." + DemoHistory.MAX_DAYS + " days");
    }
    Files.createDirectories(data);
    if (payloadDir != null) {
      Files.createDirectories(payloadDir);
    }

    JdbcConnectionPool instanceDb = DataSources.h2File(data.resolve("instance"));
    JdbcConnectionPool collectorDb = DataSources.h2File(data.resolve("collector"));
    try {
      JdbcStorage storage = JdbcStorage.builder(instanceDb).withNodeId("demo-node-1").build();
      long cleared = storage.deleteAll();
      JdbcSettings settings =
          JdbcSettings.builder(instanceDb)
              .withServerId("DEMO-0000-0000-0001")
              .withProductVersion("9.12.15")
              .withAppVersion("0.9.9-demo")
              .build();
      byte[] secret = settings.secret();
      Map<String, Long> coreLog = new TreeMap<>();
      // The system clock, set to past days only while --history records them.
      DemoHistory.DemoClock clock = new DemoHistory.DemoClock();
      Capabilities caps =
          new Capabilities(
              storage,
              ConfiguredTransport.following(settings::collectorUrl),
              clock,
              Entropy.secure(),
              settings,
              (level, code, counts) -> {
                if (level == Level.ERROR) {
                  err.println("core: " + code); // codes only, never content
                }
                coreLog.merge(code, 1L, Long::sum);
              });
      try (Core core =
          Core.builder(caps)
              .withEngine(engine)
              .withCounters(new DailyCounters(instanceDb))
              .build()) {
        AtomicInteger received = new AtomicInteger();
        AtomicLong lastWrite = new AtomicLong();
        Collector.BodySink sink =
            payloadDir == null
                ? (body, at) -> received.incrementAndGet()
                : (body, at) -> savePayload(payloadDir, received.incrementAndGet(), body, at);
        if (payloadDir != null) {
          Files.writeString(payloadDir.resolve("secret.hex"), Hex.encode(secret) + "\n");
          Main.restrict(payloadDir.resolve("secret.hex"));
          Files.deleteIfExists(payloadDir.resolve("received.jsonl"));
        }
        CollectorStore collectorStore = new CollectorStore(collectorDb);
        long[] before = collectorStore.counts();
        try (Collector collector =
            Collector.builder(PayloadVerifier.of(core), collectorStore)
                .withTenantSecret("DEMO-0000-0000-0001", secret)
                .withBodySink(sink)
                .withClock(clock)
                .start()) {
          settings.setCollectorUrl(collector.uri().toString());
          settings.setMode(Mode.REMOTE);
          // Small batches, so the demo shows several payloads (the built-in maximum is 500 rows).
          settings.setLimits(new Limits(DEMO_BATCH_ROWS, 0, 0, 0, 0, 0, 0));

          out.println("Owly demo: instance database " + data.resolve("instance").toAbsolutePath());
          if (cleared > 0) {
            out.println("  (cleared " + cleared + " rows left by an earlier run)");
          }
          out.println("  collector: " + collector.uri() + " (loopback only)");
          out.println("  mode: remote, at most " + DEMO_BATCH_ROWS + " rows per payload");
          out.println();

          List<String> events = events(core.catalog(), new Random(seed));
          int accepted = 0;
          Map<String, Integer> rejected = new TreeMap<>();
          for (String event : events) {
            Verdict v = core.record(event);
            if (v.accepted()) {
              accepted++;
            } else {
              rejected.merge(
                  v.rule() + (v.field() == null || v.field().isEmpty() ? "" : " at " + v.field()),
                  1,
                  Integer::sum);
            }
          }
          int rejectedTotal = rejected.values().stream().mapToInt(Integer::intValue).sum();
          out.println(
              "Recorded "
                  + events.size()
                  + " events: "
                  + accepted
                  + " accepted, "
                  + rejectedTotal
                  + " rejected by the filter (fail closed):");
          rejected.forEach((rule, n) -> out.printf("  %4d  %s%n", n, rule));
          out.println();

          FlushReport report = core.flush();
          long[] after = collectorStore.counts();
          long payloadsStored = after[0] - before[0];
          long rowsStored = after[1] - before[1];
          out.println(
              "Flush: "
                  + report.sealed()
                  + " batches sealed, "
                  + report.delivered()
                  + " delivered ("
                  + report.rowsDelivered()
                  + " rows), "
                  + report.retrying()
                  + " retrying, "
                  + report.failed()
                  + " failed"
                  + (report.stopped() == null ? "" : ", stopped: " + report.stopped()));
          out.println(
              "Collector: "
                  + received.get()
                  + " payloads received, "
                  + payloadsStored
                  + " verified and stored ("
                  + rowsStored
                  + " rows); answers "
                  + collector.counts());
          Map<String, Long> states = storage.eventCounts();
          out.println("Instance event table by state: " + states);
          if (payloadDir != null) {
            out.println(
                "Payloads saved byte-exact in "
                    + payloadDir.toAbsolutePath()
                    + " (received.jsonl, secret.hex): re-verify with `owly verify --secret-hex"
                    + " $(cat secret.hex) --at <received_at> payload-0001.json`");
          }

          List<String> problems = new ArrayList<>();
          if (accepted == 0 || rejectedTotal == 0) {
            problems.add("the event stream should have both accepted and rejected events");
          }
          if (report.stopped() != null) {
            problems.add("flush stopped: " + report.stopped());
          }
          if (report.sealed() == 0 || report.delivered() != report.sealed()) {
            problems.add("not every sealed batch was delivered");
          }
          if (report.rowsDelivered() != accepted || rowsStored != accepted) {
            problems.add("the collector did not verify and store every accepted row");
          }
          if (payloadsStored != report.sealed()) {
            problems.add("the collector stored a different number of payloads than were sealed");
          }
          out.println();
          if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("owly demo: FAILED: " + p));
            return 1;
          }
          out.println(
              "OK: every accepted event was stored locally first, sealed, sent once,"
                  + " and verified by the collector (content hash + OCRA otp).");
          if (keepRunning) {
            if (history > 0) {
              DemoHistory.seed(
                  (int) history, seed, core, settings, clock, collector.uri().toString(), out);
            }
            serve(a, adminPort, core, storage, settings, events, collector, out);
          }
          return 0;
        }
      }
    } finally {
      instanceDb.dispose();
      collectorDb.dispose();
    }
  }

  /** How many accepted events stay pending for the admin page's "next payload" view. */
  static final int PENDING_EVENTS = 5;

  /**
   * {@code --keep-running}: records a few events that stay pending (the next payload), starts the
   * admin page and API on 127.0.0.1 and serves until the process is stopped.
   */
  private static void serve(
      Args a,
      int port,
      Core core,
      JdbcStorage storage,
      JdbcSettings settings,
      List<String> events,
      Collector collector,
      PrintStream out) {
    int pending = 0;
    for (String event : events) {
      if (pending == PENDING_EVENTS) {
        break;
      }
      if (core.check(event).ok() && core.record(event).accepted()) {
        pending++;
      }
    }
    String adminUser = a.options.getOrDefault("--admin-user", "admin");
    String adminPassword = a.get("--admin-password");
    boolean generated = adminPassword == null;
    if (generated) {
      byte[] random = new byte[18];
      new SecureRandom().nextBytes(random);
      adminPassword = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
    StandaloneAccess.Builder access;
    try {
      access = StandaloneAccess.builder(adminUser, adminPassword);
      if (a.get("--user") != null) {
        access.withUser(a.get("--user"), a.get("--user-password"));
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    AdminApi.Builder api = AdminApi.builder(core, storage, settings, access.build());
    if (a.get("--www") != null) {
      Path www = Path.of(a.get("--www"));
      if (!Files.isDirectory(www)) {
        throw new UsageException("--www must be a directory");
      }
      api.withStaticRoot(www);
    }
    try (JdkAdminServer server = JdkAdminServer.start(api.build(), port)) {
      out.println();
      out.println(
          "Recorded "
              + pending
              + " more accepted events after the flush; they stay pending, so the admin page"
              + " shows them as the next payload.");
      out.println("admin user: " + adminUser);
      if (generated) {
        out.println("admin password (generated, shown only now): " + adminPassword);
      }
      out.println("Serving the collector " + collector.uri() + " until interrupted (Ctrl-C).");
      out.println("admin page: " + server.pageUri());
      out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      try {
        stop.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void savePayload(Path dir, int n, byte[] body, long receivedAt) {
    String name = String.format("payload-%04d.json", n);
    try {
      Files.write(dir.resolve(name), body);
      Files.writeString(
          dir.resolve("received.jsonl"),
          "{\"file\":\"" + name + "\",\"received_at\":" + receivedAt + "}\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A realistic stream: mostly valid catalogue events (built from the module's own catalogue),
   * interleaved with what a careless plugin might send — e-mail addresses, issue keys, content,
   * unknown events, wrong types, broken JSON. All values are fake.
   */
  static List<String> events(List<EventSpec> catalog, Random random) {
    List<String> events = new ArrayList<>();
    List<String> bad = BAD_EVENTS;
    for (int i = 0; i < VALID_EVENTS; i++) {
      EventSpec spec = catalog.get(random.nextInt(catalog.size()));
      events.add(valid(spec, random));
      if (i % 6 == 5) {
        events.add(bad.get((i / 6) % bad.size()));
      }
    }
    return events;
  }

  /** What a careless plugin might send; every one is rejected. All values are fake. */
  static final List<String> BAD_EVENTS =
      List.of(
          "{\"name\":\"owly.view.jane.doe@example.com\",\"attributes\":{}}",
          "{\"name\":\"owly.view.FAKE-123\",\"attributes\":{}}",
          "{\"name\":\"owly.user.login\",\"attributes\":{\"user\":\"jdoe\"}}",
          "{\"name\":\"owly.issue.viewed\",\"attributes\":{}}",
          "{\"name\":\"owly.export.finished\",\"attributes\":{\"format\":\"csv\",\"rows\":\"many\"}}",
          "{\"name\":\"owly.export.finished\",\"attributes\":{\"format\":\"jane.doe@example.com\"}}",
          "{\"name\":\"owly.export.failed\",\"attributes\":{\"reason\":\"FAKE-42 broke\"}}",
          "{\"name\":\"owly.export.failed\",\"attributes\":{\"reason\":\"other\",\"summary\":\"Fix login for Jane\"}}",
          "{\"name\":\"owly.schedule.created\",\"attributes\":{\"interval\":true}}",
          "{\"name\":\"owly.export.finished\",\"attributes\":{\"duration_ms\":5551234567}}",
          "{\"name\":\"owly.view.settings\"",
          "not json at all");

  private static String valid(EventSpec spec, Random random) {
    return event(instanceName(spec, random), spec, random);
  }

  /** The event's name, with a random value of its dynamic segment if it has one. */
  static String instanceName(EventSpec spec, Random random) {
    String name = spec.name();
    if (spec.segment() != null && !spec.segment().isEmpty()) {
      name =
          name.substring(0, name.indexOf('<'))
              + spec.segment().get(random.nextInt(spec.segment().size()));
    }
    return name;
  }

  /** A valid event of {@code spec} named {@code name}, with random allowed attribute values. */
  static String event(String name, EventSpec spec, Random random) {
    StringBuilder attributes = new StringBuilder();
    for (AttributeSpec attribute : spec.attributes()) {
      String value = value(attribute.kind(), random);
      if (value == null) {
        continue;
      }
      if (attributes.length() > 0) {
        attributes.append(',');
      }
      attributes.append(Text.jsonQuote(attribute.name())).append(':').append(value);
    }
    return "{\"name\":" + Text.jsonQuote(name) + ",\"attributes\":{" + attributes + "}}";
  }

  /**
   * A JSON value for a kind rendered as {@code one-of(a|b)}, {@code integer(0..9)}, {@code
   * boolean}.
   */
  static String value(String kind, Random random) {
    if (kind.startsWith("one-of(") && kind.endsWith(")")) {
      String[] options = kind.substring(7, kind.length() - 1).split("\\|");
      return Text.jsonQuote(options[random.nextInt(options.length)]);
    }
    if (kind.startsWith("integer(") && kind.endsWith(")")) {
      String[] range = kind.substring(8, kind.length() - 1).split("\\.\\.");
      long min = Long.parseLong(range[0]);
      long max = Long.parseLong(range[1]);
      long span = Math.min(max - min, 100_000);
      return Long.toString(min + (span <= 0 ? 0 : Math.floorMod(random.nextLong(), span + 1)));
    }
    if (kind.equals("boolean")) {
      return Boolean.toString(random.nextBoolean());
    }
    return null;
  }
}
