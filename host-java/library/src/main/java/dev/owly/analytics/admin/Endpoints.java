package dev.owly.analytics.admin;

import dev.owly.analytics.Text;
import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.CounterTally;
import dev.owly.analytics.settings.Hex;
import dev.owly.analytics.settings.JdbcSettings;
import dev.owly.analytics.spi.Config;
import dev.owly.analytics.spi.Counter;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.storage.JdbcStorage;
import dev.owly.analytics.storage.LedgerEntry;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints of the admin API ({@code docs/admin-api.md}). {@link #routes()} is the one place a
 * route is added; each handler runs after the guards of its {@link Route.Needs}.
 */
final class Endpoints {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

  private final Core core;
  private final JdbcStorage storage;
  private final JdbcSettings settings;
  private final PermissionCheck check;
  private final ChartQueries charts;

  Endpoints(Core core, JdbcStorage storage, JdbcSettings settings, PermissionCheck check) {
    this.core = core;
    this.storage = storage;
    this.settings = settings;
    this.check = check;
    this.charts = new ChartQueries(core, storage);
  }

  /** Every route of {@code /owly/api/}. */
  List<Route> routes() {
    return List.of(
        new Route("POST", "session", Route.Needs.NOBODY, this::signIn),
        new Route("POST", "logout", Route.Needs.SIGNED_IN, this::signOut),
        Route.get("status", this::status),
        Route.get("preview", this::preview),
        Route.get("ledger", this::ledger),
        Route.get("stats", this::stats),
        Route.get("charts/events", c -> AdminResponse.json(200, charts.events(now()))),
        Route.get("charts/batches", c -> AdminResponse.json(200, charts.batches(now()))),
        // Caps are null until bounded storage configures them (issue 7.5).
        Route.get(
            "charts/storage",
            c ->
                AdminResponse.json(
                    200, charts.storage(OptionalLong.empty(), OptionalLong.empty()))),
        Route.post("mode", this::mode),
        Route.post("retention", this::retention),
        Route.post("delete-all", this::deleteAll));
  }

  // ------------------------------------------------------------------------------------------
  // Sessions

  /** {@code POST /owly/api/session}: password sign-in (the standalone host). */
  private AdminResponse signIn(Route.Call call) {
    if (!(call.body().get("username") instanceof String username)
        || !(call.body().get("password") instanceof String password)) {
      throw new BadRequestException("credentials-required");
    }
    SignIn result = check.signIn(username, password, call.request());
    return switch (result.outcome()) {
      case ACCEPTED -> {
        LOG.info("owly admin: signed in (admin={})", result.admin());
        yield AdminResponse.json(
                200,
                "{\"csrf\":" + Text.jsonQuote(result.csrf()) + ",\"admin\":" + result.admin() + "}")
            .addHeader(
                "Set-Cookie",
                StandaloneAccess.COOKIE
                    + "="
                    + result.sessionId()
                    + "; HttpOnly; SameSite=Strict; Path=/owly; Max-Age="
                    + result.maxAge().toSeconds()
                    + (call.request().secure() ? "; Secure" : ""));
      }
      case REFUSED -> {
        LOG.warn("owly admin: sign-in refused");
        yield AdminResponse.error(401, "unauthenticated");
      }
      case RATE_LIMITED -> {
        LOG.warn("owly admin: sign-in rate limited");
        yield AdminResponse.error(429, "rate-limited")
            .header("Retry-After", Long.toString(result.retryAfterSeconds()));
      }
      case UNSUPPORTED -> AdminResponse.error(404, "not-found");
    };
  }

  /** Any signed-in user may sign out (a non-administrator too), but only with the token. */
  private AdminResponse signOut(Route.Call call) {
    check.signOut(call.request());
    return AdminResponse.empty(204)
        .addHeader(
            "Set-Cookie",
            StandaloneAccess.COOKIE
                + "=; HttpOnly; SameSite=Strict; Path=/owly; Max-Age=0"
                + (call.request().secure() ? "; Secure" : ""));
  }

  // ------------------------------------------------------------------------------------------
  // Reads

  private AdminResponse status(Route.Call call) {
    Config config = settings.get();
    Long pending = storage.eventCounts().get("pending");
    return AdminResponse.json(
        200,
        "{\"mode\":\""
            + config.mode().name().toLowerCase(Locale.ROOT)
            + "\",\"collectorUrl\":"
            + Text.jsonQuote(settings.collectorUrl().map(Endpoints::withoutUserInfo).orElse(null))
            + ",\"retentionDays\":"
            + config.retentionDays()
            + ",\"secretFingerprint\":\""
            + secretFingerprint()
            + "\",\"serverId\":"
            + Text.jsonQuote(config.serverId())
            + ",\"productVersion\":"
            + Text.jsonQuote(config.productVersion())
            + ",\"appVersion\":"
            + Text.jsonQuote(config.appVersion())
            + ",\"csrf\":"
            + Text.jsonQuote(call.caller().csrf())
            + ",\"pending\":"
            + (pending == null ? 0 : pending)
            + ",\"delivery\":"
            + charts.delivery()
            + "}");
  }

  /** The charts' "today": the wall clock (UTC days), as the page reads them. */
  private static long now() {
    return System.currentTimeMillis();
  }

  private AdminResponse preview(Route.Call call) {
    Optional<String> body = core.preview();
    return AdminResponse.json(200, "{\"body\":" + body.map(Text::jsonQuote).orElse("null") + "}");
  }

  private AdminResponse ledger(Route.Call call) {
    List<LedgerEntry> entries = storage.ledger(AdminApi.LEDGER_LIMIT);
    StringBuilder out = new StringBuilder(256 + entries.size() * 512).append("{\"batches\":[");
    for (int i = 0; i < entries.size(); i++) {
      LedgerEntry e = entries.get(i);
      if (i > 0) {
        out.append(',');
      }
      out.append("{\"id\":")
          .append(e.id())
          .append(",\"status\":")
          .append(Text.jsonQuote(e.status()))
          .append(",\"sealedAt\":")
          .append(e.sealedAt())
          .append(",\"settledAt\":")
          .append(e.settledAt())
          .append(",\"attempts\":")
          .append(e.attempts())
          .append(",\"rowCount\":")
          .append(e.rowCount())
          .append(",\"nonce\":\"")
          .append(Long.toUnsignedString(e.nonce()))
          .append("\",\"contentHash\":")
          .append(Text.jsonQuote(e.contentHash()))
          .append(",\"dataEncoded\":")
          .append(Text.jsonQuote(e.dataEncoded()))
          .append(",\"lastStatus\":")
          .append(e.lastStatus())
          .append(",\"reason\":")
          .append(Text.jsonQuote(e.reason()))
          .append('}');
    }
    return AdminResponse.json(200, out.append("]}").toString());
  }

  private AdminResponse stats(Route.Call call) {
    StringBuilder out = new StringBuilder("{\"counters\":[");
    List<Counter> counters = core.stats();
    for (int i = 0; i < counters.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append("{\"name\":")
          .append(Text.jsonQuote(counters.get(i).name()))
          .append(",\"value\":")
          .append(counters.get(i).value())
          .append('}');
    }
    return AdminResponse.json(200, out.append("]}").toString());
  }

  /** The first 8 bytes of the secret's SHA-256, hex: enough to compare, useless to forge. */
  private String secretFingerprint() {
    byte[] secret = settings.secret();
    try {
      return Hex.encode(Arrays.copyOf(StandaloneAccess.sha256(secret), 8));
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** A URL with credentials in it ({@code https://user:pw@host/}) is shown without them. */
  static String withoutUserInfo(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getRawUserInfo() == null) {
        return url;
      }
      return new URI(
              uri.getScheme(),
              null,
              uri.getHost(),
              uri.getPort(),
              uri.getPath(),
              uri.getQuery(),
              uri.getFragment())
          .toString();
    } catch (URISyntaxException e) {
      return "(not a valid URL)";
    }
  }

  // ------------------------------------------------------------------------------------------
  // Changes

  private AdminResponse mode(Route.Call call) {
    Mode mode = parseMode(call.body().get("mode"));
    settings.setMode(mode);
    String word = mode.name().toLowerCase(Locale.ROOT);
    LOG.info("owly admin: mode set to {} by {}", word, call.caller().name());
    return AdminResponse.json(200, "{\"mode\":\"" + word + "\"}");
  }

  private AdminResponse retention(Route.Call call) {
    int days = parseDays(call.body().get("days"));
    settings.setRetentionDays(days);
    LOG.info("owly admin: retention set to {} days by {}", days, call.caller().name());
    return AdminResponse.json(200, "{\"retentionDays\":" + days + "}");
  }

  private AdminResponse deleteAll(Route.Call call) {
    if (!"DELETE".equals(call.body().get("confirm"))) {
      throw new BadRequestException("confirmation-required");
    }
    long deleted = storage.deleteAll();
    core.counters().ifPresent(CounterTally::discard); // counts of deleted events are not rewritten
    LOG.info(
        "owly admin: all analytics data deleted ({} rows) by {}", deleted, call.caller().name());
    return AdminResponse.json(200, "{\"deleted\":" + deleted + "}");
  }

  private static Mode parseMode(Object value) {
    if (value instanceof String s) {
      switch (s) {
        case "off":
          return Mode.OFF;
        case "local":
          return Mode.LOCAL;
        case "remote":
          return Mode.REMOTE;
        default:
          break;
      }
    }
    throw new BadRequestException("invalid-mode");
  }

  private static int parseDays(Object value) {
    long days;
    if (value instanceof Long l) {
      days = l;
    } else if (value instanceof BigDecimal d) {
      try {
        days = d.longValueExact(); // 30.0 or 3e1 is still a whole number of days
      } catch (ArithmeticException e) {
        throw new BadRequestException("invalid-days");
      }
    } else {
      throw new BadRequestException("invalid-days");
    }
    if (days < 0 || days > AdminApi.MAX_RETENTION_DAYS) {
      throw new BadRequestException("invalid-days");
    }
    return (int) days;
  }
}
