package dev.owly.analytics.admin;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.owly.analytics.OwlyException;
import dev.owly.analytics.Text;
import dev.owly.analytics.api.Owly;
import dev.owly.analytics.core.Core;
import dev.owly.analytics.http.BoundedBody;
import dev.owly.analytics.settings.Hex;
import dev.owly.analytics.settings.JdbcSettings;
import dev.owly.analytics.spi.Config;
import dev.owly.analytics.spi.Counter;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.StorageException;
import dev.owly.analytics.storage.JdbcStorage;
import dev.owly.analytics.storage.LedgerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API v1 ({@code docs/admin-api.md}) and the admin page, on the JDK's HTTP server.
 *
 * <ul>
 *   <li>{@code /owly/api/*}: JSON; 401 for anonymous callers and 403 for non-administrators (as
 *       decided by the {@link PermissionCheck}), on every path but {@code /owly/api/session};
 *       state-changing calls need the session's {@code X-Owly-CSRF} token, {@code Content-Type:
 *       application/json} and a same-origin {@code Origin} if one is sent (else 403 {@code csrf});
 *       bodies over {@value #MAX_BODY_BYTES} bytes: 413 without reading further; bad input: 400.
 *   <li>{@code /owly/admin/}: the page's files, no sign-in needed to load them (the page asks the
 *       API and shows its sign-in view on 401).
 *   <li>Every answer, errors included, carries {@link #SECURITY_HEADERS}.
 * </ul>
 *
 * <p>The secret is never returned: status shows its fingerprint (the first 8 bytes of its SHA-256,
 * hex). Logs carry actions, codes and principal names, never bodies, passwords, cookies, tokens or
 * event content.
 */
public final class AdminApi {
  /** The API's path prefix. */
  public static final String API_PATH = "/owly/api/";

  /** The page's path (with a trailing slash; without one it redirects). */
  public static final String PAGE_PATH = "/owly/admin/";

  /** Request bodies are at most 16 KiB. */
  public static final int MAX_BODY_BYTES = 16 * 1024;

  /** How much of an oversized body is skipped (unread, unkept) so the 413 reaches the client. */
  private static final long DISCARD_BYTES = 4L * 1024 * 1024;

  /** How many ledger entries {@code /ledger} shows, newest first. */
  public static final int LEDGER_LIMIT = 200;

  /** The retention the API accepts, in days (0 = keep forever). */
  public static final int MAX_RETENTION_DAYS = 3650;

  /** Sent with every admin response. */
  public static final Map<String, String> SECURITY_HEADERS = securityHeaders();

  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final String PAGE_CONTEXT = "/owly/admin";
  private static final String JSON = "application/json; charset=utf-8";

  private final Core core;
  private final JdbcStorage storage;
  private final JdbcSettings settings;
  private final PermissionCheck check;
  private final StaticFiles files;

  private AdminApi(Builder b) {
    this.core = b.core;
    this.storage = b.storage;
    this.settings = b.settings;
    this.check = b.check;
    this.files =
        b.staticRoot != null
            ? StaticFiles.directory(b.staticRoot)
            : StaticFiles.classpath(AdminApi.class.getClassLoader(), "owly/www/");
  }

  private static Map<String, String> securityHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src"
            + " 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri"
            + " 'none'");
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Referrer-Policy", "no-referrer");
    h.put("X-Frame-Options", "DENY");
    h.put("Cache-Control", "no-store");
    h.put("Cross-Origin-Opener-Policy", "same-origin");
    return java.util.Collections.unmodifiableMap(h);
  }

  public static Builder builder(
      Core core, JdbcStorage storage, JdbcSettings settings, PermissionCheck check) {
    return new Builder(core, storage, settings, check);
  }

  /** The API over a plugin's {@link Owly}. */
  public static Builder builder(Owly owly, PermissionCheck check) {
    requireNonNull(owly, "owly");
    return new Builder(owly.core(), owly.storage(), owly.settings(), check);
  }

  /** Configures an {@link AdminApi}. */
  public static final class Builder {
    private final Core core;
    private final JdbcStorage storage;
    private final JdbcSettings settings;
    private final PermissionCheck check;
    private Path staticRoot;

    private Builder(Core core, JdbcStorage storage, JdbcSettings settings, PermissionCheck check) {
      this.core = requireNonNull(core, "core");
      this.storage = requireNonNull(storage, "storage");
      this.settings = requireNonNull(settings, "settings");
      this.check = requireNonNull(check, "check");
    }

    /**
     * Serves the page from this directory instead of the classpath folder {@code /owly/www/} (for
     * tests, and for working on the page without rebuilding the jar).
     */
    public Builder withStaticRoot(Path directory) {
      this.staticRoot = requireNonNull(directory, "directory");
      return this;
    }

    public AdminApi build() {
      return new AdminApi(this);
    }
  }

  /** Adds the API and the page to a server the caller runs (and stops). */
  public void register(HttpServer server) {
    requireNonNull(server, "server");
    server.createContext(API_PATH, this::handleApi);
    server.createContext(PAGE_CONTEXT, this::handlePage);
  }

  /**
   * Starts a server of its own on 127.0.0.1 ({@code port} 0 picks a free one) that answers
   * everything else with 404 (with the security headers too).
   */
  public Server start(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range");
    }
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      ExecutorService executor =
          Executors.newFixedThreadPool(
              4,
              r -> {
                Thread t = new Thread(r, "owly-admin");
                t.setDaemon(true);
                return t;
              });
      server.setExecutor(executor);
      register(server);
      server.createContext("/", AdminApi::handleElsewhere);
      server.start();
      return new Server(server, executor);
    } catch (IOException e) {
      throw new OwlyException("admin.bind", e);
    }
  }

  /** A running standalone admin server. */
  public static final class Server implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private Server(HttpServer server, ExecutorService executor) {
      this.server = server;
      this.executor = executor;
    }

    public int port() {
      return server.getAddress().getPort();
    }

    /** The admin page, e.g. {@code http://127.0.0.1:8080/owly/admin/}. */
    public URI pageUri() {
      return URI.create("http://127.0.0.1:" + port() + PAGE_PATH);
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }

    @Override
    public String toString() {
      return "AdminApi.Server[" + pageUri() + "]";
    }
  }

  // ------------------------------------------------------------------------------------------
  // Page

  private static void handleElsewhere(HttpExchange ex) throws IOException {
    try (ex) {
      securityHeaders(ex);
      error(ex, 404, "not-found");
    }
  }

  private void handlePage(HttpExchange ex) throws IOException {
    try (ex) {
      securityHeaders(ex);
      try {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        if (!path.equals(PAGE_CONTEXT) && !path.startsWith(PAGE_PATH)) {
          error(ex, 404, "not-found");
          return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
          ex.getResponseHeaders().set("Allow", "GET, HEAD");
          error(ex, 405, "method-not-allowed");
          return;
        }
        if (path.equals(PAGE_CONTEXT)) {
          ex.getResponseHeaders().set("Location", PAGE_PATH);
          ex.sendResponseHeaders(302, -1);
          return;
        }
        Optional<StaticFiles.File> file = files.find(path.substring(PAGE_PATH.length()));
        if (file.isEmpty()) {
          error(ex, 404, "not-found");
          return;
        }
        ex.getResponseHeaders().set("Content-Type", file.get().contentType());
        byte[] bytes = file.get().bytes();
        if (method.equals("HEAD")) {
          ex.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
          ex.sendResponseHeaders(200, -1);
        } else {
          ex.sendResponseHeaders(200, bytes.length);
          ex.getResponseBody().write(bytes);
        }
      } catch (RuntimeException e) {
        LOG.error("owly admin page failed: {}", e.getClass().getSimpleName());
        error(ex, 500, "internal");
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // API

  private void handleApi(HttpExchange ex) throws IOException {
    try (ex) {
      securityHeaders(ex);
      try {
        route(ex, AdminRequest.of(ex));
      } catch (BadRequestException e) {
        error(ex, 400, e.code());
      } catch (StorageException e) {
        LOG.error("owly admin: storage unavailable ({})", e.getMessage());
        error(ex, 503, "unavailable");
      } catch (RuntimeException e) {
        LOG.error("owly admin: request failed: {}", e.getClass().getSimpleName());
        error(ex, 500, "internal");
      }
    }
  }

  private void route(HttpExchange ex, AdminRequest request) throws IOException {
    String name = request.rawPath().substring(API_PATH.length());
    if (name.equals("session")) {
      session(ex, request);
      return;
    }
    Caller caller = check.check(request);
    if (caller == null || caller.access() == Access.ANONYMOUS) {
      error(ex, 401, "unauthenticated");
      return;
    }
    if (name.equals("logout")) {
      // Any signed-in user may sign out (a non-administrator too), but only with the token.
      if (post(ex, request, caller) != null) {
        check.signOut(request);
        ex.getResponseHeaders().add("Set-Cookie", expiredCookie(request));
        ex.sendResponseHeaders(204, -1);
      }
      return;
    }
    if (caller.access() != Access.ADMIN) {
      error(ex, 403, "forbidden");
      return;
    }
    switch (name) {
      case "status" -> {
        if (get(ex, request)) {
          json(ex, 200, status(caller));
        }
      }
      case "preview" -> {
        if (get(ex, request)) {
          Optional<String> body = core.preview();
          json(ex, 200, "{\"body\":" + body.map(Text::jsonQuote).orElse("null") + "}");
        }
      }
      case "ledger" -> {
        if (get(ex, request)) {
          json(ex, 200, ledger());
        }
      }
      case "stats" -> {
        if (get(ex, request)) {
          json(ex, 200, stats());
        }
      }
      case "mode" -> {
        Map<String, Object> body = post(ex, request, caller);
        if (body != null) {
          Mode mode = mode(body.get("mode"));
          settings.setMode(mode);
          String word = mode.name().toLowerCase(Locale.ROOT);
          LOG.info("owly admin: mode set to {} by {}", word, caller.name());
          json(ex, 200, "{\"mode\":\"" + word + "\"}");
        }
      }
      case "retention" -> {
        Map<String, Object> body = post(ex, request, caller);
        if (body != null) {
          int days = days(body.get("days"));
          settings.setRetentionDays(days);
          LOG.info("owly admin: retention set to {} days by {}", days, caller.name());
          json(ex, 200, "{\"retentionDays\":" + days + "}");
        }
      }
      case "delete-all" -> {
        Map<String, Object> body = post(ex, request, caller);
        if (body != null) {
          if (!"DELETE".equals(body.get("confirm"))) {
            throw new BadRequestException("confirmation-required");
          }
          long deleted = storage.deleteAll();
          LOG.info(
              "owly admin: all analytics data deleted ({} rows) by {}", deleted, caller.name());
          json(ex, 200, "{\"deleted\":" + deleted + "}");
        }
      }
      default -> error(ex, 404, "not-found");
    }
  }

  /** {@code POST /owly/api/session}: password sign-in (the standalone host). */
  private void session(HttpExchange ex, AdminRequest request) throws IOException {
    if (!request.method().equals("POST")) {
      ex.getResponseHeaders().set("Allow", "POST");
      error(ex, 405, "method-not-allowed");
      return;
    }
    // No token yet, but a cross-site page must not sign the browser in either.
    if (!jsonContentType(request) || !sameOrigin(request)) {
      error(ex, 403, "csrf");
      return;
    }
    Map<String, Object> body = body(ex);
    if (body == null) {
      return;
    }
    if (!(body.get("username") instanceof String username)
        || !(body.get("password") instanceof String password)) {
      throw new BadRequestException("credentials-required");
    }
    SignIn result = check.signIn(username, password, request);
    switch (result.outcome()) {
      case ACCEPTED -> {
        LOG.info("owly admin: signed in (admin={})", result.admin());
        ex.getResponseHeaders()
            .add(
                "Set-Cookie",
                StandaloneAccess.COOKIE
                    + "="
                    + result.sessionId()
                    + "; HttpOnly; SameSite=Strict; Path=/owly; Max-Age="
                    + result.maxAge().toSeconds()
                    + (request.secure() ? "; Secure" : ""));
        json(
            ex,
            200,
            "{\"csrf\":" + Text.jsonQuote(result.csrf()) + ",\"admin\":" + result.admin() + "}");
      }
      case REFUSED -> {
        LOG.warn("owly admin: sign-in refused");
        error(ex, 401, "unauthenticated");
      }
      case RATE_LIMITED -> {
        LOG.warn("owly admin: sign-in rate limited");
        ex.getResponseHeaders().set("Retry-After", Long.toString(result.retryAfterSeconds()));
        error(ex, 429, "rate-limited");
      }
      case UNSUPPORTED -> error(ex, 404, "not-found");
    }
  }

  private static boolean get(HttpExchange ex, AdminRequest request) throws IOException {
    if (request.method().equals("GET")) {
      return true;
    }
    ex.getResponseHeaders().set("Allow", "GET");
    error(ex, 405, "method-not-allowed");
    return false;
  }

  /**
   * Checks a state-changing call (method, CSRF token, content type, origin) and reads its body;
   * null when an answer was already sent.
   */
  private static Map<String, Object> post(HttpExchange ex, AdminRequest request, Caller caller)
      throws IOException {
    if (!request.method().equals("POST")) {
      ex.getResponseHeaders().set("Allow", "POST");
      error(ex, 405, "method-not-allowed");
      return null;
    }
    if (!csrfTokenMatches(request, caller) || !jsonContentType(request) || !sameOrigin(request)) {
      error(ex, 403, "csrf");
      return null;
    }
    return body(ex);
  }

  private static boolean csrfTokenMatches(AdminRequest request, Caller caller) {
    Optional<String> sent = request.header("X-Owly-CSRF");
    if (caller.csrf() == null || caller.csrf().isEmpty() || sent.isEmpty()) {
      return false;
    }
    // Digests of both: equal length, so neither content nor length leaks through timing.
    return MessageDigest.isEqual(
        StandaloneAccess.sha256(sent.get()), StandaloneAccess.sha256(caller.csrf()));
  }

  private static boolean jsonContentType(AdminRequest request) {
    return request
        .header("Content-Type")
        .map(t -> t.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/json"))
        .orElse(false);
  }

  /** An {@code Origin} (when sent) must be this server; so must {@code Sec-Fetch-Site}. */
  static boolean sameOrigin(AdminRequest request) {
    Optional<String> site = request.header("Sec-Fetch-Site");
    if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
      return false;
    }
    Optional<String> origin = request.header("Origin");
    if (origin.isEmpty()) {
      return true;
    }
    Optional<String> host = request.header("Host");
    if (host.isEmpty()) {
      return false;
    }
    String expected = (request.secure() ? "https://" : "http://") + host.get();
    return origin.get().equalsIgnoreCase(expected);
  }

  /** Reads at most {@value #MAX_BODY_BYTES} bytes of JSON object; null after a 413. */
  private static Map<String, Object> body(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null && BoundedBody.declaredTooLarge(length, MAX_BODY_BYTES)) {
      tooLarge(ex);
      return null;
    }
    byte[] bytes = BoundedBody.read(ex.getRequestBody(), MAX_BODY_BYTES);
    if (bytes == null) {
      tooLarge(ex);
      return null;
    }
    String text;
    try {
      text = Text.strictUtf8(bytes);
    } catch (CharacterCodingException e) {
      throw new BadRequestException("malformed-json");
    }
    return JsonBody.object(text);
  }

  private static void tooLarge(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().set("Connection", "close");
    error(ex, 413, "too-large");
    ex.getResponseBody().flush();
    // The rest is never parsed nor kept. Up to DISCARD_BYTES of it is skipped so that closing
    // with unread bytes does not reset the connection before the client has read the 413.
    InputStream in = ex.getRequestBody();
    byte[] sink = new byte[8192];
    long skipped = 0;
    int n;
    while (skipped <= DISCARD_BYTES && (n = in.read(sink)) != -1) {
      skipped += n;
    }
  }

  private static Mode mode(Object value) {
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

  private static int days(Object value) {
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
    if (days < 0 || days > MAX_RETENTION_DAYS) {
      throw new BadRequestException("invalid-days");
    }
    return (int) days;
  }

  // ------------------------------------------------------------------------------------------
  // Answers

  private String status(Caller caller) {
    Config config = settings.get();
    Long pending = storage.eventCounts().get("pending");
    return "{\"mode\":\""
        + config.mode().name().toLowerCase(Locale.ROOT)
        + "\",\"collectorUrl\":"
        + Text.jsonQuote(settings.collectorUrl().map(AdminApi::withoutUserInfo).orElse(null))
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
        + Text.jsonQuote(caller.csrf())
        + ",\"pending\":"
        + (pending == null ? 0 : pending)
        + "}";
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

  private String ledger() {
    List<LedgerEntry> entries = storage.ledger(LEDGER_LIMIT);
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
    return out.append("]}").toString();
  }

  private String stats() {
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
    return out.append("]}").toString();
  }

  private static String expiredCookie(AdminRequest request) {
    return StandaloneAccess.COOKIE
        + "=; HttpOnly; SameSite=Strict; Path=/owly; Max-Age=0"
        + (request.secure() ? "; Secure" : "");
  }

  private static void securityHeaders(HttpExchange ex) {
    SECURITY_HEADERS.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
  }

  private static void error(HttpExchange ex, int status, String code) throws IOException {
    json(ex, status, "{\"error\":\"" + code + "\"}");
  }

  private static void json(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", JSON);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public String toString() {
    return "AdminApi[" + files + "]";
  }
}
