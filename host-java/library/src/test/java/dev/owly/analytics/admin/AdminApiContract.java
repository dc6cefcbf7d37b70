package dev.owly.analytics.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.api.Owly;
import dev.owly.analytics.core.FlushReport;
import dev.owly.analytics.settings.Hex;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Transport;
import dev.owly.analytics.storage.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's cases over real loopback HTTP, on the real core and an H2 file database, against
 * any server that serves an {@link AdminApi}: each adapter's test extends this and says how it
 * serves ({@link #serve}), e.g. the JDK server here, Jetty 10 with the {@code javax.servlet}
 * adapter, Jetty 12 with the {@code jakarta.servlet} one, the standalone host's Jetty 12.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AdminApiContract {
  /** A running server under test. */
  public interface Served extends AutoCloseable {
    /** Where it answers, e.g. {@code http://127.0.0.1:8080} (the API is under /owly/api/). */
    URI base();

    @Override
    void close() throws Exception;
  }

  /** Serves the API (built here, or by the server when it adds its own settings) until closed. */
  protected abstract Served serve(AdminApi.Builder api) throws Exception;

  /**
   * Whether the server's own refusals (a request line it will not hand to the core, such as an
   * ambiguous path) carry the security headers too: true where we run the server (standalone),
   * false in a servlet container, whose error pages are the host's.
   */
  protected boolean serverRefusalsCarryTheHeaders() {
    return true;
  }

  protected static final String ADMIN = "root-admin";
  protected static final String ADMIN_PASSWORD = "correct horse battery staple";
  static final String USER = "jane";
  static final String USER_PASSWORD = "jane-password-1";
  static final List<String> GET_PATHS =
      List.of(
          "status",
          "preview",
          "ledger",
          "stats",
          "charts/events",
          "charts/batches",
          "charts/storage");
  static final List<String> POST_PATHS = List.of("logout", "mode", "retention", "delete-all");

  JdbcConnectionPool db;
  Owly owly;
  Served server;
  byte[] secret;
  final List<String> sent = Collections.synchronizedList(new ArrayList<>());

  /** Every answer any test received, to scan for the secret at the end. */
  final List<HttpResponse<String>> answers = Collections.synchronizedList(new ArrayList<>());

  final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    Transport capture =
        request -> {
          sent.add(request.body());
          return new Response(200, null);
        };
    db = TestDatabases.h2File(dir.resolve("db"));
    owly =
        Owly.builder(db)
            .withServerId("TEST-0000-0000-0003")
            .withProductVersion("9.12.15")
            .withAppVersion("0.1.0-test")
            .withCollectorUrl("https://collector.invalid/collect")
            .withSecret(secret)
            .withTransport(capture)
            .withPoolSize(1)
            .withFlushInterval(Duration.ZERO)
            .withDrainTimeout(Duration.ZERO)
            .build();
    Path www = dir.resolve("www");
    Files.createDirectories(www.resolve("pkg"));
    Files.writeString(www.resolve("index.html"), "<!doctype html><title>Owly admin</title>");
    Files.writeString(www.resolve("app.js"), "console.log('owly');");
    Files.write(www.resolve("pkg/owly_core_bg.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    Files.writeString(www.resolve("pkg/owly_core_bg.wasm.d.ts"), "export {};");
    Files.writeString(dir.resolve("outside.html"), "outside the root");
    StandaloneAccess access =
        StandaloneAccess.builder(ADMIN, ADMIN_PASSWORD).withUser(USER, USER_PASSWORD).build();
    server = serve(AdminApi.builder(owly, access).withStaticRoot(www));
  }

  @BeforeEach
  void freshState() {
    owly.settings().setMode(Mode.REMOTE);
    owly.storage().deleteAll();
    owly.core().counters().orElseThrow().discard();
    sent.clear();
  }

  @AfterEach
  void noSecretInAnyAnswer() {
    String lower = Hex.encode(secret).toLowerCase(Locale.ROOT);
    for (HttpResponse<String> r : answers) {
      String body = r.body().toLowerCase(Locale.ROOT);
      assertFalse(body.contains(lower), "secret in " + r.uri());
      assertFalse(
          body.contains(java.util.Base64.getEncoder().encodeToString(secret).toLowerCase()),
          "secret (base64) in " + r.uri());
      assertFalse(r.headers().toString().toLowerCase(Locale.ROOT).contains(lower));
    }
    answers.forEach(AdminApiContract::assertSecurityHeaders);
    answers.clear();
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
    owly.close();
    db.dispose();
  }

  // ------------------------------------------------------------------------------------------
  // Access

  @Test
  void shouldAnswer401OnEveryApiPathWhenAnonymous() throws Exception {
    for (String path : GET_PATHS) {
      assertError(401, "unauthenticated", get(path, null));
    }
    for (String path : POST_PATHS) {
      assertError(401, "unauthenticated", post(path, null, "{}"));
    }
    assertError(401, "unauthenticated", get("no-such-endpoint", null));
    assertError(401, "unauthenticated", get("status", new Session("bogus-session-id", "x")));
  }

  @Test
  void shouldAnswer403ToASignedInUserWhoIsNotAnAdministrator() throws Exception {
    HttpResponse<String> login = login(USER, USER_PASSWORD);
    assertEquals(200, login.statusCode());
    assertTrue(login.body().contains("\"admin\":false"), login.body());
    Session user = session(login);
    for (String path : GET_PATHS) {
      assertError(403, "forbidden", get(path, user));
    }
    for (String path : List.of("mode", "retention", "delete-all")) {
      assertError(403, "forbidden", post(path, user, "{}"));
    }
    assertError(
        403, "forbidden", post("delete-all", user, "{\"confirm\":\"DELETE\"}", user.csrf()));
    assertEquals(204, post("logout", user, "{}", user.csrf()).statusCode());
    assertError(401, "unauthenticated", get("status", user));
  }

  @Test
  void shouldSetAnHttpOnlySameSiteStrictCookieWhenAnAdministratorSignsIn() throws Exception {
    HttpResponse<String> login = login(ADMIN, ADMIN_PASSWORD);
    assertEquals(200, login.statusCode());
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.startsWith("OWLYSESSION="), cookie);
    assertTrue(cookie.contains("; HttpOnly"), cookie);
    assertTrue(cookie.contains("; SameSite=Strict"), cookie);
    assertTrue(cookie.contains("; Path=/owly"), cookie);
    Session admin = session(login);
    assertTrue(admin.id().length() >= 43, "32 random bytes");
    assertTrue(login.body().contains("\"admin\":true"));
    HttpResponse<String> status = get("status", admin);
    assertEquals(200, status.statusCode());
    assertTrue(status.body().contains("\"csrf\":\"" + admin.csrf() + "\""), status.body());
    Session again = session(login(ADMIN, ADMIN_PASSWORD));
    assertNotEquals(admin.id(), again.id());
    assertNotEquals(admin.csrf(), again.csrf());
  }

  @Test
  void shouldRefuseAWrongPasswordWith401AndNoCookie() throws Exception {
    for (HttpResponse<String> r :
        List.of(
            login(ADMIN, "wrong password"),
            login(ADMIN, ""),
            login("nobody", ADMIN_PASSWORD),
            login(ADMIN, ADMIN_PASSWORD + " "))) {
      assertError(401, "unauthenticated", r);
      assertTrue(r.headers().firstValue("Set-Cookie").isEmpty());
    }
  }

  @Test
  void shouldEndTheSessionOnLogout() throws Exception {
    Session admin = session(login(ADMIN, ADMIN_PASSWORD));
    HttpResponse<String> out = post("logout", admin, "{}", admin.csrf());
    assertEquals(204, out.statusCode());
    assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
    assertError(401, "unauthenticated", get("status", admin));
  }

  // ------------------------------------------------------------------------------------------
  // CSRF

  @Test
  void shouldRefuseAPostWithoutTheRightCsrfTokenAndLeaveTheModeAlone() throws Exception {
    Session admin = session(login(ADMIN, ADMIN_PASSWORD));
    String body = "{\"mode\":\"off\"}";
    assertError(403, "csrf", post("mode", admin, body));
    assertError(403, "csrf", post("mode", admin, body, "not-the-token"));
    assertError(403, "csrf", post("mode", admin, body, admin.csrf() + "x"));
    Session other = session(login(ADMIN, ADMIN_PASSWORD));
    assertError(403, "csrf", post("mode", admin, body, other.csrf()));
    assertError(
        403,
        "csrf",
        send(
            HttpRequest.newBuilder(api("mode"))
                .header("Content-Type", "text/plain")
                .header("Cookie", "OWLYSESSION=" + admin.id())
                .header("X-Owly-CSRF", admin.csrf()),
            body));
    assertError(
        403,
        "csrf",
        send(request("mode", admin, admin.csrf()).header("Origin", "https://evil.example"), body));
    assertError(
        403,
        "csrf",
        send(request("mode", admin, admin.csrf()).header("Sec-Fetch-Site", "cross-site"), body));
    assertError(403, "csrf", send(request("delete-all", admin, null), "{\"confirm\":\"DELETE\"}"));
    assertEquals(Mode.REMOTE, owly.settings().mode());
    assertEquals("remote", storedMode());

    HttpResponse<String> ok =
        send(request("mode", admin, admin.csrf()).header("Origin", server.base().toString()), body);
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(Mode.OFF, owly.settings().mode());
  }

  @Test
  void shouldRefuseEveryContentTypeButJson() throws Exception {
    Session admin = session(login(ADMIN, ADMIN_PASSWORD));
    for (String type :
        List.of(
            "application/jsonp",
            "application/json-seq",
            "application/json; charset=latin1",
            "application/json; foo=bar",
            "text/json",
            "application/x-www-form-urlencoded")) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(api("mode"))
              .header("Content-Type", type)
              .header("Cookie", "OWLYSESSION=" + admin.id())
              .header("X-Owly-CSRF", admin.csrf());
      assertError(403, "csrf", send(b, "{\"mode\":\"off\"}"));
      HttpRequest.Builder signIn =
          HttpRequest.newBuilder(api("session")).header("Content-Type", type);
      assertError(403, "csrf", send(signIn, credentials(ADMIN, ADMIN_PASSWORD)));
    }
    assertEquals(Mode.REMOTE, owly.settings().mode());
    HttpRequest.Builder ok =
        HttpRequest.newBuilder(api("mode"))
            .header("Content-Type", "application/json;charset=UTF-8")
            .header("Cookie", "OWLYSESSION=" + admin.id())
            .header("X-Owly-CSRF", admin.csrf());
    assertEquals(200, send(ok, "{\"mode\":\"off\"}").statusCode());
  }

  @Test
  void shouldRefuseACrossSiteSignIn() throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(api("session"))
                .header("Content-Type", "application/json")
                .header("Origin", "https://evil.example"),
            credentials(ADMIN, ADMIN_PASSWORD));
    assertError(403, "csrf", r);
    assertTrue(r.headers().firstValue("Set-Cookie").isEmpty());
  }

  // ------------------------------------------------------------------------------------------
  // What the administrator does

  @Test
  void shouldSwitchToLocalAtOnceSoTheNextFlushSendsNothing() throws Exception {
    Session admin = session(login(ADMIN, ADMIN_PASSWORD));
    assertTrue(owly.record("owly.view.settings", Map.of()).accepted());
    assertTrue(get("status", admin).body().contains("\"mode\":\"remote\""));

    HttpResponse<String> r = post("mode", admin, "{\"mode\":\"local\"}", admin.csrf());
    assertEquals(200, r.statusCode());
    assertEquals("{\"mode\":\"local\"}", r.body());
    assertTrue(get("status", admin).body().contains("\"mode\":\"local\""));
    assertEquals("local", storedMode());

    FlushReport report = owly.flush();
    assertEquals(0, report.delivered());
    assertTrue(sent.isEmpty(), "the transport must not be called in local mode");

    assertEquals(200, post("mode", admin, "{\"mode\":\"remote\"}", admin.csrf()).statusCode());
    owly.flush();
    assertEquals(1, sent.size(), "remote again: the pending row goes out");
  }

  @Test
  void shouldShowStatusPreviewLedgerAndStatsAsDocumented() throws Exception {
    Session admin = session(login(ADMIN, ADMIN_PASSWORD));
    assertEquals("{\"body\":null}", get("preview", admin).body());
    assertTrue(owly.record("owly.view.settings", Map.of()).accepted());
    assertFalse(owly.record("owly.export.failed", Map.of("reason", "a@b.example")).accepted());

    String preview = get("preview", admin).body();
    assertTrue(preview.startsWith("{\"body\":\"{\\\"dataEncoded\\\":\\\""), preview);
    String status = get("status", admin).body();
    assertTrue(
        Pattern.matches(
            "\\{\"mode\":\"remote\",\"collectorUrl\":\"https://collector.invalid/collect\","
                + "\"retentionDays\":0,\"secretFingerprint\":\"[0-9a-f]{16}\","
                + "\"serverId\":\"TEST-0000-0000-0003\",\"productVersion\":\"9.12.15\","
                + "\"appVersion\":\"0.1.0-test\",\"csrf\":\"[A-Za-z0-9_-]{43}\",\"pending\":1,"
                + "\"delivery\":\\{\"pendingRows\":1,\"sealedBatches\":0,\"retryingBatches\":0,"
                + "\"failedBatches\":0,\"deliveredBatches\":0,\"droppedRows\":0,"
                + "\"lastSuccessAt\":null,\"failingSince\":null,\"lastFailureAt\":null,"
                + "\"lastErrorCode\":null}}",
            status),
        status);
    String fingerprint =
        Hex.encode(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(secret), 8));
    assertTrue(status.contains(fingerprint.toLowerCase(Locale.ROOT)), status);

    owly.flush();
    assertEquals(1, sent.size());
    String ledger = get("ledger", admin).body();
    Matcher m =
        Pattern.compile(
                "\\{\"batches\":\\[\\{\"id\":\\d+,\"status\":\"delivered\",\"sealedAt\":\\d+,"
                    + "\"settledAt\":\\d+,\"attempts\":1,\"rowCount\":1,\"nonce\":\"(\\d+)\","
                    + "\"contentHash\":\"[0-9A-F]{40}\",\"dataEncoded\":\"[A-Za-z0-9+/=]+\","
                    + "\"lastStatus\":200,\"reason\":null}]}")
            .matcher(ledger);
    assertTrue(m.matches(), ledger);
    assertTrue(sent.get(0).contains("\"nonce\":\"" + m.group(1) + "\""));

    String stats = get("stats", admin).body();
    assertTrue(stats.matches("\\{\"counters\":\\[.*\\{\"name\":\"@email\",\"value\":\\d+}.*]}"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldAnswerTheChartsFromTheTablesAsDocumented() throws Exception {
    Session admin = session(login(ADMIN, ADMIN_PASSWORD));
    assertTrue(owly.record("owly.view.settings", Map.of()).accepted());
    assertTrue(owly.record("owly.view.settings", Map.of()).accepted());
    assertFalse(owly.record("owly.export.failed", Map.of("reason", "a@b.example")).accepted());
    owly.flush();
    assertTrue(owly.record("owly.view.export", Map.of()).accepted());

    Map<String, Object> events = JsonBody.object(get("charts/events", admin).body());
    List<Object> days = (List<Object>) events.get("days");
    assertEquals(30, days.size());
    assertEquals(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString(), days.get(29));
    assertEquals(
        List.of(
            Map.of("name", "owly.view.settings", "counts", counts(2L)),
            Map.of("name", "owly.view.export", "counts", counts(1L))),
        events.get("accepted"));
    assertEquals(
        List.of(Map.of("name", "owly.view.settings", "counts", counts(2L))), events.get("sent"));
    assertEquals(List.of(Map.of("rule", "@email", "counts", counts(1L))), events.get("rejected"));
    assertEquals(Map.of("accepted", 3L, "sent", 2L, "rejected", 1L), events.get("totals"));

    Map<String, Object> batches = JsonBody.object(get("charts/batches", admin).body());
    List<Object> outcomes = (List<Object>) batches.get("outcomes");
    assertEquals(Map.of("outcome", "delivered", "counts", counts(1L)), outcomes.get(0));
    Map<String, Object> health = (Map<String, Object>) batches.get("health");
    assertTrue((Long) health.get("lastSuccessAt") > 0);
    assertEquals(JsonBody.NULL, health.get("failingSince"));

    Map<String, Object> storage = JsonBody.object(get("charts/storage", admin).body());
    assertEquals(1L, storage.get("pending"));
    assertTrue((Long) storage.get("pendingBytes") > "owly.view.export".length());
    assertEquals(JsonBody.NULL, storage.get("capRows"));
    assertEquals(JsonBody.NULL, storage.get("capBytes"));
    assertEquals(List.of(), storage.get("drops"));

    String status = get("status", admin).body();
    assertTrue(status.contains("\"deliveredBatches\":1,"), status);
    assertTrue(status.contains("\"pendingRows\":1,"), status);
    assertError(405, "method-not-allowed", post("charts/events", admin, "{}", admin.csrf()));
  }

  /** A 30-day series with {@code today} as its last count. */
  static List<Object> counts(Long today) {
    List<Object> out = new ArrayList<>(Collections.nCopies(29, (Object) 0L));
    out.add(today);
    return out;
  }

  @Test
  void shouldSetTheRetentionWithinItsRange() throws Exception {
    Session admin = session(login(ADMIN, ADMIN_PASSWORD));
    HttpResponse<String> r = post("retention", admin, "{\"days\":30}", admin.csrf());
    assertEquals("{\"retentionDays\":30}", r.body());
    assertEquals(30, owly.settings().get().retentionDays());
    assertError(400, "invalid-days", post("retention", admin, "{\"days\":3651}", admin.csrf()));
    assertError(400, "invalid-days", post("retention", admin, "{\"days\":-1}", admin.csrf()));
    assertError(400, "invalid-days", post("retention", admin, "{\"days\":1.5}", admin.csrf()));
    assertError(400, "invalid-days", post("retention", admin, "{\"days\":\"7\"}", admin.csrf()));
    assertEquals(30, owly.settings().get().retentionDays());
    post("retention", admin, "{\"days\":0}", admin.csrf());
  }

  @Test
  void shouldDeleteAllEventsAndTheLedger() throws Exception {
    Session admin = session(login(ADMIN, ADMIN_PASSWORD));
    owly.record("owly.view.settings", Map.of());
    owly.flush();
    owly.record("owly.view.settings", Map.of());
    assertEquals(1, owly.storage().ledger(10).size());

    assertError(
        400,
        "confirmation-required",
        post("delete-all", admin, "{\"confirm\":\"yes\"}", admin.csrf()));
    assertFalse(owly.storage().eventCounts().isEmpty());

    HttpResponse<String> r = post("delete-all", admin, "{\"confirm\":\"DELETE\"}", admin.csrf());
    assertEquals(200, r.statusCode());
    assertEquals("{\"deleted\":3}", r.body(), "two events and one ledger row");
    assertTrue(owly.storage().eventCounts().isEmpty());
    assertTrue(owly.storage().ledger(10).isEmpty());
    assertEquals("{\"batches\":[]}", get("ledger", admin).body());
  }

  // ------------------------------------------------------------------------------------------
  // Bad input

  @Test
  void shouldRefuseAOneMebibyteBodyWith413() throws Exception {
    Session admin = session(login(ADMIN, ADMIN_PASSWORD));
    String big = "{\"mode\":\"" + "x".repeat(1024 * 1024) + "\"}";
    HttpResponse<String> r = post("mode", admin, big, admin.csrf());
    assertError(413, "too-large", r);
    HttpResponse<String> login =
        send(
            HttpRequest.newBuilder(api("session")).header("Content-Type", "application/json"), big);
    assertError(413, "too-large", login);
    assertEquals(Mode.REMOTE, owly.settings().mode());
  }

  @Test
  void shouldRefuseMalformedJsonWith400() throws Exception {
    Session admin = session(login(ADMIN, ADMIN_PASSWORD));
    for (String body :
        List.of("", "{", "not json", "[]", "{\"mode\":\"off\",}", "{\"mode\":\"off\"} x")) {
      assertError(400, "malformed-json", post("mode", admin, body, admin.csrf()));
    }
    assertError(
        400,
        "malformed-json",
        post("mode", admin, "{\"mode\":\"off\",\"mode\":\"remote\"}", admin.csrf()));
    assertError(400, "invalid-mode", post("mode", admin, "{\"mode\":\"loud\"}", admin.csrf()));
    assertError(400, "invalid-mode", post("mode", admin, "{}", admin.csrf()));
    assertError(400, "credentials-required", send(sessionRequest(), "{\"username\":\"a\"}"));
    assertEquals(Mode.REMOTE, owly.settings().mode());
  }

  @Test
  void shouldAnswer404And405WithTheSecurityHeaders() throws Exception {
    Session admin = session(login(ADMIN, ADMIN_PASSWORD));
    assertError(404, "not-found", get("nothing-here", admin));
    assertError(405, "method-not-allowed", post("status", admin, "{}", admin.csrf()));
    assertError(405, "method-not-allowed", get("mode", admin));
    assertError(405, "method-not-allowed", get("session", null));
    assertError(404, "not-found", fetch("/elsewhere"));
  }

  // ------------------------------------------------------------------------------------------
  // The page

  @Test
  void shouldServeThePageWithItsContentSecurityPolicy() throws Exception {
    HttpResponse<String> page = fetch("/owly/admin/");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<title>Owly admin</title>"));
    assertEquals(Optional.of("text/html; charset=utf-8"), contentType(page));
    assertTrue(
        page.headers()
            .firstValue("Content-Security-Policy")
            .orElseThrow()
            .contains("script-src 'self' 'wasm-unsafe-eval'"));
    assertEquals(200, fetch("/owly/admin/index.html").statusCode());

    HttpResponse<String> redirect = fetch("/owly/admin");
    assertEquals(302, redirect.statusCode());
    assertEquals("/owly/admin/", redirect.headers().firstValue("Location").orElseThrow());
  }

  @Test
  void shouldServeWasmAndJavaScriptWithTheirContentTypes() throws Exception {
    HttpResponse<String> wasm = fetch("/owly/admin/pkg/owly_core_bg.wasm");
    assertEquals(200, wasm.statusCode());
    assertEquals("application/wasm", wasm.headers().firstValue("Content-Type").orElseThrow());
    HttpResponse<String> js = fetch("/owly/admin/app.js");
    assertTrue(js.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
    assertEquals(404, fetch("/owly/admin/pkg/owly_core_bg.wasm.d.ts").statusCode());
    assertEquals(404, fetch("/owly/admin/pkg/").statusCode(), "no directory listing");
    assertEquals(404, fetch("/owly/admin/pkg").statusCode());
    assertEquals(404, fetch("/owly/admin/missing.js").statusCode());
  }

  @Test
  void shouldRefusePathTraversal() throws Exception {
    for (String path :
        List.of(
            "/owly/admin/../../etc/passwd",
            "/owly/admin/../outside.html",
            "/owly/admin/%2e%2e/outside.html",
            "/owly/admin/..%2foutside.html",
            "/owly/admin/pkg/..%5c..%5coutside.html",
            "/owly/admin/.%2e/.%2e/etc/passwd",
            "/owly/admin//etc/passwd",
            "/owly/admin/./index.html")) {
      String answer = raw(path);
      String statusLine = answer.lines().findFirst().orElse("");
      assertTrue(statusLine.matches("HTTP/1\\.1 (400|404) .*"), path + " -> " + statusLine);
      assertFalse(answer.contains("root:"), path);
      assertFalse(answer.contains("outside the root"), path);
      boolean fromTheCore = answer.contains("{\"error\":");
      if (fromTheCore || serverRefusalsCarryTheHeaders()) {
        assertTrue(
            answer.toLowerCase(Locale.ROOT).contains("x-content-type-options: nosniff"), answer);
      } else {
        assertTrue(statusLine.startsWith("HTTP/1.1 400 "), "refused by the container: " + path);
      }
    }
  }

  @Test
  void shouldSendTheSecurityHeadersOnEveryKindOfAnswer() throws Exception {
    // Each answer is checked in noSecretInAnyAnswer(); this collects the kinds not seen elsewhere.
    Session admin = session(login(ADMIN, ADMIN_PASSWORD));
    List<Integer> statuses = new ArrayList<>();
    statuses.add(get("status", admin).statusCode());
    statuses.add(get("status", null).statusCode());
    statuses.add(get("status", session(login(USER, USER_PASSWORD))).statusCode());
    statuses.add(fetch("/owly/admin/nope.html").statusCode());
    statuses.add(post("mode", admin, "x".repeat(20_000), admin.csrf()).statusCode());
    statuses.add(post("mode", admin, "{", admin.csrf()).statusCode());
    statuses.add(fetch("/owly/admin").statusCode());
    statuses.add(fetch("/owly/admin/").statusCode());
    assertEquals(List.of(200, 401, 403, 404, 413, 400, 302, 200), statuses);
  }

  // ------------------------------------------------------------------------------------------
  // Helpers

  record Session(String id, String csrf) {}

  private Session session(HttpResponse<String> login) {
    assertEquals(200, login.statusCode(), login.body());
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    String id = cookie.substring("OWLYSESSION=".length(), cookie.indexOf(';'));
    Matcher m = Pattern.compile("\"csrf\":\"([^\"]+)\"").matcher(login.body());
    assertTrue(m.find());
    return new Session(id, m.group(1));
  }

  private HttpResponse<String> get(String path, Session s) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(api(path)).GET();
    if (s != null) {
      b.header("Cookie", "OWLYSESSION=" + s.id());
    }
    return record(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
  }

  private HttpResponse<String> post(String path, Session s, String body) throws Exception {
    return post(path, s, body, null);
  }

  private HttpResponse<String> post(String path, Session s, String body, String csrf)
      throws Exception {
    return send(request(path, s, csrf), body);
  }

  private HttpRequest.Builder request(String path, Session s, String csrf) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(api(path)).header("Content-Type", "application/json");
    if (s != null) {
      b.header("Cookie", "OWLYSESSION=" + s.id());
    }
    if (csrf != null) {
      b.header("X-Owly-CSRF", csrf);
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest.Builder b, String body) throws Exception {
    return record(
        http.send(
            b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString()));
  }

  private HttpRequest.Builder sessionRequest() {
    return HttpRequest.newBuilder(api("session")).header("Content-Type", "application/json");
  }

  private HttpResponse<String> login(String user, String password) throws Exception {
    return send(sessionRequest(), credentials(user, password));
  }

  private static String credentials(String user, String password) {
    return "{\"username\":"
        + dev.owly.analytics.Text.jsonQuote(user)
        + ",\"password\":"
        + dev.owly.analytics.Text.jsonQuote(password)
        + "}";
  }

  private HttpResponse<String> fetch(String path) throws Exception {
    return record(
        http.send(
            HttpRequest.newBuilder(URI.create(server.base() + path)).build(),
            HttpResponse.BodyHandlers.ofString()));
  }

  private HttpResponse<String> record(HttpResponse<String> r) {
    answers.add(r);
    return r;
  }

  /** Sends a request line exactly as written (no client-side normalisation). */
  private String raw(String path) throws IOException {
    return rawRequest(
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + server.base().getAuthority()
            + "\r\nConnection: close\r\n\r\n");
  }

  /** Sends these bytes as they are and reads the answer until the server closes. */
  protected String rawRequest(String request) throws IOException {
    try (Socket s = new Socket(server.base().getHost(), server.base().getPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private URI api(String path) {
    return URI.create(server.base() + "/owly/api/" + path);
  }

  private String storedMode() throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT \"VALUE\" FROM \"AO_OWLY_SETTING_AO\" WHERE \"KEY\" = 'mode'");
        ResultSet r = p.executeQuery()) {
      assertTrue(r.next());
      return r.getString(1);
    }
  }

  private static void assertError(int status, String code, HttpResponse<String> r) {
    assertEquals(status, r.statusCode(), r.uri() + " " + r.body());
    assertEquals("{\"error\":\"" + code + "\"}", r.body(), r.uri().toString());
    assertEquals(Optional.of("application/json; charset=utf-8"), contentType(r));
  }

  /**
   * The media type as sent, with the space after {@code ;} that some servers leave out (the same
   * type either way, RFC 9110 8.3.1).
   */
  static Optional<String> contentType(HttpResponse<String> r) {
    return r.headers().firstValue("Content-Type").map(t -> t.replaceAll("\\s*;\\s*", "; "));
  }

  static void assertSecurityHeaders(HttpResponse<String> r) {
    AdminApi.SECURITY_HEADERS.forEach(
        (name, value) ->
            assertEquals(
                Optional.of(value),
                r.headers().firstValue(name),
                name + " on " + r.statusCode() + " " + r.uri()));
    assertNotNull(r.headers());
  }
}
