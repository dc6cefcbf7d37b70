// The fault harness's host: a Data Center plugin as its author would write it, in its own JVM.
//
// It uses only the public plugin API of host-java/target/owly.jar (Owly.builder(dataSource)…) and
// the JDBC drivers' own DataSource classes, records events in a loop, flushes, and journals every
// event whose record() returned accepted -- row id and the event's fields -- to its own
// append-only file, fsync'd *after* record() returned. The orchestrator kills it with kill -9 at
// any moment; the journal is what "accepted" means when the collector's side is checked.
//
//   javac -cp host-java/target/owly.jar -d DIR tests/faults/Driver.java
//   java -cp host-java/target/owly.jar:DIR Driver --db h2:/tmp/x --collector URL ...
//   (or, without javac: java -cp host-java/target/owly.jar tests/faults/Driver.java ...)
//
// Output (stdout, one line each, flushed): "ready <ms to build>", "flush <ms> <report|threw:X>",
// "recorded <n>", "build-failed <exception>", "done". Event content is never printed.

import dev.owly.analytics.api.Owly;
import dev.owly.analytics.core.FlushReport;
import dev.owly.analytics.core.Verdict;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

public final class Driver {
  private static final List<String> PAGES =
      List.of("dashboard", "export", "schedules", "history", "settings", "analytics");
  private static final List<String> TABLES =
      List.of("propertyentry", "jiraissue", "project", "worklog", "label", "other");
  private static final List<String> FORMATS = List.of("csv", "json", "xlsx", "sql");
  private static final List<String> INTERVALS = List.of("hourly", "daily", "weekly", "monthly");

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = parse(argv);
    long started = System.nanoTime();
    // Wait for a common start moment (the cluster scenario starts N JVMs "at once").
    if (a.containsKey("start-at-ms")) {
      long at = Long.parseLong(a.get("start-at-ms"));
      long wait = at - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
    }
    DataSource ds = dataSource(a.get("db"));
    byte[] secret = hex(Files.readString(Path.of(a.get("secret-file"))).trim());
    Owly.Builder b =
        Owly.builder(ds)
            .withServerId(a.getOrDefault("tenant", "FAKE-TEST-0000-0001"))
            .withProductVersion("9.12.15")
            .withAppVersion("0.9.9-faults")
            .withCollectorUrl(a.get("collector"))
            .withSecret(secret)
            .withMode(Mode.REMOTE)
            .withLimits(
                new Limits(
                    Integer.parseInt(a.getOrDefault("batch-rows", "50")),
                    0,
                    0,
                    0,
                    Integer.parseInt(a.getOrDefault("lease-ms", "0")),
                    Integer.parseInt(a.getOrDefault("retry-base-ms", "1000")),
                    Integer.parseInt(a.getOrDefault("retry-cap-ms", "4000"))))
            .withFlushInterval(Duration.ofMillis(Long.parseLong(a.getOrDefault("flush-ms", "0"))))
            .withDrainTimeout(Duration.ZERO);
    if (a.containsKey("node-id")) {
      b.withNodeId(a.get("node-id"));
    }
    Owly owly;
    long t0 = System.nanoTime();
    try {
      owly = b.build();
    } catch (RuntimeException e) {
      out("build-failed " + describe(e));
      System.exit(3);
      return;
    }
    out("ready " + (System.nanoTime() - t0) / 1_000_000 + " " + (t0 - started) / 1_000_000);

    long events = Long.parseLong(a.getOrDefault("events", "0"));
    long seconds = Long.parseLong(a.getOrDefault("seconds", "0"));
    int flushEvery = Integer.parseInt(a.getOrDefault("flush-every", "0"));
    long pauseUs = Long.parseLong(a.getOrDefault("pause-us", "0"));
    long deadline = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
    long recorded = 0;
    boolean recording = events > 0 || seconds > 0;
    try (FileOutputStream journal = new FileOutputStream(a.get("journal"), true)) {
      for (long i = 0; recording && (events == 0 || i < events) && System.nanoTime() < deadline; i++) {
        {
          Map.Entry<String, Map<String, Object>> e = randomEvent();
          long lo = System.currentTimeMillis() / 1000;
          Verdict v = owly.record(e.getKey(), e.getValue());
          long hi = System.currentTimeMillis() / 1000;
          if (v.accepted()) {
            // Journaled only after record() returned: an event recorded but killed before this
            // line may reach the collector without a journal entry (reported as an extra).
            String line =
                "{\"id\":"
                    + v.rowId()
                    + ",\"name\":"
                    + quote(e.getKey())
                    + ",\"lo\":"
                    + lo
                    + ",\"hi\":"
                    + hi
                    + ",\"attrs\":"
                    + json(e.getValue())
                    + "}\n";
            journal.write(line.getBytes(StandardCharsets.UTF_8));
            journal.getFD().sync();
            recorded++;
          } else {
            out("rejected " + v.rule());
          }
        }
        if (flushEvery > 0 && (i + 1) % flushEvery == 0) {
          flush(owly);
        }
        if (pauseUs > 0) {
          Thread.sleep(pauseUs / 1000, (int) (pauseUs % 1000) * 1000);
        }
      }
    }
    out("recorded " + recorded);
    // Drain: flush until told to stop (the orchestrator kills it once the collector has all).
    long drainMs = Long.parseLong(a.getOrDefault("drain-ms", "0"));
    long drainEnd = System.nanoTime() + drainMs * 1_000_000L;
    while (System.nanoTime() < drainEnd) {
      flush(owly);
      Thread.sleep(Long.parseLong(a.getOrDefault("drain-pause-ms", "300")));
    }
    if (a.containsKey("final-flush")) {
      flush(owly);
    }
    out("done");
    // No close(): a plugin may be stopped at any moment, and a kill is the normal end here.
    System.exit(0);
  }

  private static void flush(Owly owly) {
    long t = System.nanoTime();
    String what;
    try {
      FlushReport r = owly.flush();
      what =
          "stopped="
              + r.stopped()
              + " sealed="
              + r.sealed()
              + " delivered="
              + r.delivered()
              + " rows="
              + r.rowsDelivered()
              + " retrying="
              + r.retrying()
              + " failed="
              + r.failed()
              + " quarantined="
              + r.quarantined();
    } catch (RuntimeException e) {
      what = "threw:" + describe(e);
    }
    out("flush " + (System.nanoTime() - t) / 1_000_000 + " " + what);
  }

  /** The JDBC drivers' own DataSource classes with default settings, as a plugin author would. */
  private static DataSource dataSource(String spec) {
    if (spec.startsWith("h2:")) {
      org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
      h2.setURL("jdbc:h2:file:" + Path.of(spec.substring(3)).toAbsolutePath().resolve("owly"));
      h2.setUser("sa");
      return h2;
    }
    if (spec.startsWith("h2-server:")) {
      org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
      h2.setURL(
          "jdbc:h2:file:"
              + Path.of(spec.substring(10)).toAbsolutePath().resolve("owly")
              + ";AUTO_SERVER=TRUE");
      h2.setUser("sa");
      return h2;
    }
    if (spec.startsWith("pg:")) {
      org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
      pg.setUrl(spec.substring(3));
      return pg;
    }
    throw new IllegalArgumentException("--db h2:DIR | h2-server:DIR | pg:JDBC_URL");
  }

  private static Map.Entry<String, Map<String, Object>> randomEvent() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    switch (r.nextInt(4)) {
      case 0 -> {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("format", FORMATS.get(r.nextInt(FORMATS.size())));
        attrs.put("rows", r.nextInt(1_000_000));
        if (r.nextBoolean()) {
          attrs.put("duration_ms", r.nextInt(86_400_000));
        }
        if (r.nextBoolean()) {
          attrs.put("tables", r.nextInt(10_000));
        }
        return Map.entry("owly.export.finished", attrs);
      }
      case 1 -> {
        return Map.entry("owly.view." + PAGES.get(r.nextInt(PAGES.size())), Map.of());
      }
      case 2 -> {
        return Map.entry("owly.export.tables." + TABLES.get(r.nextInt(TABLES.size())), Map.of());
      }
      default -> {
        return Map.entry(
            "owly.schedule.created", Map.of("interval", INTERVALS.get(r.nextInt(INTERVALS.size()))));
      }
    }
  }

  private static String json(Map<String, Object> attrs) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, Object> e : new TreeMap<>(attrs).entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append(quote(e.getKey())).append(':');
      Object v = e.getValue();
      out.append(v instanceof String s ? quote(s) : String.valueOf(v));
    }
    return out.append('}').toString();
  }

  private static String quote(String s) {
    // Names and values here are plain identifiers from the catalogue: nothing to escape.
    return "\"" + s + "\"";
  }

  /** The exception and its causes, class and message (host messages are codes, not content). */
  private static String describe(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null && out.length() < 600; t = t.getCause()) {
      if (out.length() > 0) {
        out.append(" <- ");
      }
      out.append(t.getClass().getSimpleName());
      if (t.getMessage() != null) {
        out.append('(').append(t.getMessage().replace('\n', ' ')).append(')');
      }
    }
    return out.toString();
  }

  private static synchronized void out(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  private static Map<String, String> parse(String[] argv) throws IOException {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected " + argv[i]);
      }
      String key = argv[i].substring(2);
      if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
        a.put(key, argv[++i]);
      } else {
        a.put(key, "true");
      }
    }
    for (String required : List.of("db", "collector", "secret-file", "journal")) {
      if (!a.containsKey(required)) {
        throw new IllegalArgumentException("--" + required + " is required");
      }
    }
    return a;
  }
}
