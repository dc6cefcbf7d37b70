package dev.owly.analytics.cli;

import dev.owly.analytics.Text;
import dev.owly.analytics.admin.AdminApi;
import dev.owly.analytics.admin.StandaloneAccess;
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
import dev.owly.analytics.standalone.AdminServer;
import dev.owly.analytics.standalone.DataSources;
import dev.owly.analytics.standalone.PrivateFiles;
import dev.owly.analytics.storage.DailyCounters;
import dev.owly.analytics.storage.JdbcStorage;
import dev.owly.analytics.transport.ConfiguredTransport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** The sign-in of {@code --keep-running}: passwords from files or the environment only. */
  private record Credentials(String admin, String adminPassword, String user, String userPassword) {
    @Override
    public String toString() {
      return "Credentials[" + admin + (user == null ? "" : ", " + user) + "]";
    }
  }

  static int run(List<String> rest, PrintStream out, PrintStream err, Map<String, String> env)
      throws IOException {
    Args a =
        Args.parse(
            rest,
            Set.of(
                "--data",
                "--payload-dir",
                "--seed",
                "--port",
                "--admin-user",
                "--admin-password-file",
                "--admin-password",
                "--user",
                "--user-password-file",
                "--user-password",
                "--www",
                "--history",
                "--engine"),
            Set.of("--keep-running"));
    if (!a.positional.isEmpty()) {
      throw new UsageException("demo takes no positional arguments");
    }
    Secrets.refuseOnCommandLine(
        a, "--admin-password", "--admin-password-file", "OWLY_ADMIN_PASSWORD");
    Secrets.refuseOnCommandLine(a, "--user-password", "--user-password-file", "OWLY_USER_PASSWORD");
    Engine engine = a.engine();
    boolean keepRunning = a.flag("--keep-running");
    for (String serving :
        List.of(
            "--port",
            "--admin-user",
            "--admin-password-file",
            "--user",
            "--user-password-file",
            "--www")) {
      if (a.get(serving) != null && !keepRunning) {
        throw new UsageException(serving + " needs --keep-running");
      }
    }
    if (a.get("--user") == null && a.get("--user-password-file") != null) {
      throw new UsageException("--user-password-file needs --user");
    }
    Credentials credentials = null;
    if (keepRunning) {
      String user = a.get("--user");
      String userPassword =
          user == null
              ? null
              : Secrets.read(a, "--user-password-file", "OWLY_USER_PASSWORD", env, err)
                  .orElseThrow(
                      () ->
                          new UsageException(
                              "--user needs --user-password-file FILE (or OWLY_USER_PASSWORD)"));
      credentials =
          new Credentials(
              a.options.getOrDefault("--admin-user", "admin"),
              Secrets.read(a, "--admin-password-file", "OWLY_ADMIN_PASSWORD", env, err)
                  .orElse(null),
              user,
              userPassword);
    }
    int adminPort = a.port("--port");
    Path data = Path.of(a.options.getOrDefault("--data", "owly-data"));
    Path payloadDir = a.get("--payload-dir") == null ? null : Path.of(a.get("--payload-dir"));
    long seed = a.getLong("--seed", 42);
    long history = a.getLong("--history", 0);
    if (history < 0 || history > DemoHistory.MAX_DAYS) {
      throw new UsageException("--history must be 0.." + DemoHistory.MAX_DAYS + " days");
    }
    // 0700 from the start: the instance database holds the secret.
    PrivateFiles.directory(data);
    if (payloadDir != null) {
      PrivateFiles.directory(payloadDir);
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
          PrivateFiles.write(
              payloadDir.resolve("secret.hex"),
              (Hex.encode(secret) + "\n").getBytes(StandardCharsets.US_ASCII));
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
                    + " (received.jsonl, secret.hex): re-verify with `owly verify --secret-file"
                    + " secret.hex --at <received_at> payload-0001.json`");
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
          if (history > 0) {
            DemoHistory.seed(
                (int) history, seed, core, settings, clock, collector.uri().toString(), out);
          }
          if (keepRunning || history > 0) {
            // The next payload of the admin page (without --keep-running, for a page served
            // elsewhere on this data folder).
            int pending = recordPending(core, events);
            out.println();
            out.println(
                "Recorded "
                    + pending
                    + " more accepted events after the flush; they stay pending, so the admin page"
                    + " shows them as the next payload.");
          }
          if (keepRunning) {
            serve(a, credentials, data, adminPort, core, storage, settings, collector, out);
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

  /** Records a few accepted events that stay pending (the admin page's next payload). */
  private static int recordPending(Core core, List<String> events) {
    int pending = 0;
    for (String event : events) {
      if (pending == PENDING_EVENTS) {
        break;
      }
      if (core.check(event).ok() && core.record(event).accepted()) {
        pending++;
      }
    }
    return pending;
  }

  /** {@code --keep-running}: the admin page and API on 127.0.0.1 until the process is stopped. */
  private static void serve(
      Args a,
      Credentials credentials,
      Path data,
      int port,
      Core core,
      JdbcStorage storage,
      JdbcSettings settings,
      Collector collector,
      PrintStream out)
      throws IOException {
    String adminPassword = credentials.adminPassword();
    Path generated = null;
    if (adminPassword == null) {
      byte[] random = new byte[18];
      new SecureRandom().nextBytes(random);
      adminPassword = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      // Not on stdout (logs keep it): in a file only this user can read.
      generated = data.resolve("admin-password").toAbsolutePath();
      PrivateFiles.write(generated, (adminPassword + "\n").getBytes(StandardCharsets.UTF_8));
    }
    StandaloneAccess.Builder access;
    try {
      access = StandaloneAccess.builder(credentials.admin(), adminPassword);
      if (credentials.user() != null) {
        access.withUser(credentials.user(), credentials.userPassword());
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
    try (AdminServer server = AdminServer.start(api, port)) {
      out.println("admin user: " + credentials.admin());
      if (generated != null) {
        out.println("admin password: generated, in " + generated + " (mode 0600)");
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
      PrivateFiles.write(dir.resolve(name), body);
      PrivateFiles.append(
          dir.resolve("received.jsonl"),
          ("{\"file\":\"" + name + "\",\"received_at\":" + receivedAt + "}\n")
              .getBytes(StandardCharsets.UTF_8));
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
