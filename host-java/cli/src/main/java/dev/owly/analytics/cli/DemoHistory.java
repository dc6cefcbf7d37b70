package dev.owly.analytics.cli;

import dev.owly.analytics.Text;
import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.EventSpec;
import dev.owly.analytics.core.FlushReport;
import dev.owly.analytics.core.Verdict;
import dev.owly.analytics.settings.JdbcSettings;
import dev.owly.analytics.spi.Clock;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * {@code owly demo --keep-running --history DAYS}: before the admin page opens, records a known mix
 * of accepted and rejected events on each of the last {@code DAYS} days (through the real core, on
 * a clock set to that day) and flushes each day against the loopback collector answering, not
 * answering, or refusing the otp — so the page's charts have several days of real data. It prints
 * one {@code history: {…}} JSON line of what it recorded (from the verdicts), for tests to compare
 * the charts with.
 *
 * <p>Collector outcomes by day ({@code d} days ago): {@code down} (connection refused: the batch is
 * retried) for {@code d = 1} and every fifth day, {@code refused} (a wrong secret: 403, failed for
 * good) for {@code d % 4 == 3}, else {@code up}. After the last day, one flush now with the
 * collector down again leaves delivery failing since now.
 */
final class DemoHistory {
  /** At most this many days, so all of them fit the page's 30-day charts. */
  static final int MAX_DAYS = 29;

  /** The demo's clock: the system's, or a fixed time while the history is recorded. */
  static final class DemoClock implements Clock {
    private volatile long fixed = -1;

    @Override
    public long nowMs() {
      long f = fixed;
      return f >= 0 ? f : System.currentTimeMillis();
    }

    void set(long ms) {
      fixed = ms;
    }

    void advance(long ms) {
      fixed += ms;
    }

    void release() {
      fixed = -1;
    }
  }

  private DemoHistory() {}

  static String outcome(int daysAgo) {
    if (daysAgo == 1 || daysAgo % 5 == 0) {
      return "down";
    }
    return daysAgo % 4 == 3 ? "refused" : "up";
  }

  static void seed(
      int days,
      long seed,
      Core core,
      JdbcSettings settings,
      DemoClock clock,
      String collectorUrl,
      PrintStream out) {
    List<EventSpec> catalog = core.catalog();
    byte[] secret = settings.secret();
    String closed = closedPortUrl();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    StringBuilder json = new StringBuilder("{\"days\":[");
    int totalAccepted = 0;
    int totalRejected = 0;
    try {
      for (int d = days; d >= 1; d--) {
        LocalDate day = today.minusDays(d);
        clock.set(day.atTime(9, 0).toInstant(ZoneOffset.UTC).toEpochMilli());
        Random random = new Random(seed * 31 + d);
        Map<String, Integer> accepted = new TreeMap<>();
        Map<String, Integer> rejected = new TreeMap<>();
        int valid = 6 + random.nextInt(15);
        for (int i = 0; i < valid; i++) {
          clock.advance(7_000);
          EventSpec spec = catalog.get(random.nextInt(catalog.size()));
          String name = Demo.instanceName(spec, random);
          count(core.record(Demo.event(name, spec, random)), name, accepted, rejected);
        }
        for (int i = 0; i < d % 4; i++) {
          clock.advance(7_000);
          count(
              core.record(Demo.BAD_EVENTS.get((d + i) % Demo.BAD_EVENTS.size())),
              null,
              accepted,
              rejected);
        }
        String outcome = outcome(d);
        switch (outcome) {
          case "down" -> settings.setCollectorUrl(closed);
          case "refused" -> settings.setSecret(otherSecret());
          default -> settings.setCollectorUrl(collectorUrl);
        }
        clock.advance(60_000);
        FlushReport r = core.flush();
        settings.setCollectorUrl(collectorUrl);
        settings.setSecret(secret);
        totalAccepted += accepted.values().stream().mapToInt(Integer::intValue).sum();
        totalRejected += rejected.values().stream().mapToInt(Integer::intValue).sum();
        json.append(d == days ? "" : ",")
            .append("{\"day\":\"")
            .append(day)
            .append("\",\"collector\":\"")
            .append(outcome)
            .append("\",\"accepted\":")
            .append(object(accepted))
            .append(",\"rejected\":")
            .append(object(rejected))
            .append(",\"flush\":{\"sealed\":")
            .append(r.sealed())
            .append(",\"delivered\":")
            .append(r.delivered())
            .append(",\"retrying\":")
            .append(r.retrying())
            .append(",\"failed\":")
            .append(r.failed())
            .append("}}");
      }
      clock.release();
      // Now, with the collector down: what is due is retried and fails, so the page shows
      // delivery failing since now.
      settings.setCollectorUrl(closed);
      long at = clock.nowMs();
      core.flush();
      json.append("],\"failingFrom\":").append(at).append('}');
    } finally {
      clock.release();
      settings.setCollectorUrl(collectorUrl);
      settings.setSecret(secret);
    }
    core.counters().ifPresent(t -> t.write());
    out.println(
        "History: "
            + days
            + " days before today, "
            + totalAccepted
            + " events accepted, "
            + totalRejected
            + " rejected; collector up, down or refusing the otp by day.");
    out.println("history: " + json);
  }

  private static void count(
      Verdict v, String name, Map<String, Integer> accepted, Map<String, Integer> rejected) {
    if (v.accepted()) {
      if (name == null) {
        throw new IllegalStateException("a hostile demo event was accepted");
      }
      accepted.merge(name, 1, Integer::sum);
    } else {
      rejected.merge(v.rule(), 1, Integer::sum);
    }
  }

  private static String object(Map<String, Integer> counts) {
    StringBuilder out = new StringBuilder("{");
    counts.forEach(
        (k, v) ->
            out.append(out.length() > 1 ? "," : "")
                .append(Text.jsonQuote(k))
                .append(':')
                .append(v));
    return out.append('}').toString();
  }

  private static byte[] otherSecret() {
    byte[] s = new byte[32];
    new SecureRandom().nextBytes(s);
    return s;
  }

  /** A loopback URL nothing listens on (a port just bound and released). */
  private static String closedPortUrl() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort() + "/collect";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
