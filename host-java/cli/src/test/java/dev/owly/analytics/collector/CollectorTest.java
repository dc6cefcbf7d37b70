package dev.owly.analytics.collector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.owly.analytics.spi.Request;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.standalone.DataSources;
import dev.owly.analytics.transport.HttpsTransport;
import dev.owly.analytics.transport.TestTls;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorTest {
  static final String TENANT = "FAKE-TNNT-0000-0001";
  static final String OTHER_TENANT = "FAKE-TNNT-0000-0002";
  static final byte[] SECRET = "test-secret-not-real-0001".getBytes(StandardCharsets.US_ASCII);
  static final byte[] OTHER_SECRET =
      "test-secret-not-real-0002".getBytes(StandardCharsets.US_ASCII);
  static final byte[] WRONG_SECRET =
      "test-secret-wrong-wrong-01".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;
  JdbcConnectionPool pool;
  CollectorStore store;
  Collector collector;
  final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  final AtomicReference<byte[]> lastBody = new AtomicReference<>();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() {
    pool = DataSources.h2File(dir);
    store = new CollectorStore(pool);
    collector =
        Collector.builder(new FakeVerifier(), store)
            .withTenantSecret(TENANT, SECRET)
            .withTenantSecret(OTHER_TENANT, OTHER_SECRET)
            .withClock(now::get)
            .withFailureLimit(3, Duration.ofMinutes(1))
            .withBodySink((body, at) -> lastBody.set(body))
            .start();
  }

  @AfterEach
  void stop() {
    collector.close();
    pool.dispose();
  }

  record Answer(int status, String body, String retryAfter) {}

  Answer post(String path, String contentType, HttpRequest.BodyPublisher body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path))
                .header("Content-Type", contentType)
                .POST(body)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
  }

  Answer post(String body) throws Exception {
    return post(Collector.PATH, "application/json", HttpRequest.BodyPublishers.ofString(body));
  }

  static String payload(long nonce, String tenant, byte[] secret, int rows) {
    List<String> r = new ArrayList<>();
    for (int i = 1; i <= rows; i++) {
      r.add(FakeVerifier.row(i, tenant));
    }
    return FakeVerifier.body(nonce, r, secret);
  }

  @Test
  void acceptsAVerifiedPayloadAndStoresItsRows() throws Exception {
    String body = payload(101, TENANT, SECRET, 3);
    Answer a = post(body);
    assertEquals(new Answer(200, "{\"status\":\"accepted\"}", null), a);
    assertArrayEquals(new long[] {1, 3}, store.counts());
    assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), lastBody.get());
  }

  @Test
  void aResendOfTheSameNonceAndHashIsAcceptedOnceAndAnsweredIdempotently() throws Exception {
    String body = payload(102, TENANT, SECRET, 2);
    assertEquals(200, post(body).status());
    Answer again = post(body);
    assertEquals(new Answer(200, "{\"status\":\"duplicate\"}", null), again);
    assertArrayEquals(new long[] {1, 2}, store.counts());
  }

  @Test
  void theSameNonceWithOtherContentIsAConflict() throws Exception {
    assertEquals(200, post(payload(103, TENANT, SECRET, 2)).status());
    Answer a = post(payload(103, TENANT, SECRET, 3));
    assertEquals(new Answer(409, "{\"status\":\"nonce-conflict\"}", null), a);
    assertArrayEquals(new long[] {1, 2}, store.counts());
  }

  @Test
  void aWrongOtpIsRefusedAndRepeatedFailuresAreRateLimitedPerTenant() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertEquals(
          new Answer(403, "{\"status\":\"otp-mismatch\"}", null),
          post(payload(200 + i, TENANT, WRONG_SECRET, 1)));
    }
    Answer limited = post(payload(210, TENANT, SECRET, 1));
    assertEquals(429, limited.status());
    assertEquals("{\"status\":\"rate-limited\"}", limited.body());
    assertEquals("60", limited.retryAfter());
    assertEquals(200, post(payload(211, OTHER_TENANT, OTHER_SECRET, 1)).status());
    now.addAndGet(30_000);
    assertEquals("30", post(payload(212, TENANT, SECRET, 1)).retryAfter());
    now.addAndGet(30_001);
    assertEquals(200, post(payload(213, TENANT, SECRET, 1)).status());
  }

  @Test
  void anUnknownTenantIsRefused() throws Exception {
    assertEquals(
        new Answer(403, "{\"status\":\"unknown-tenant\"}", null),
        post(payload(104, "FAKE-UNKN-OWN0-0001", SECRET, 1)));
  }

  @Test
  void aWrongContentHashIsRefused() throws Exception {
    String body = payload(105, TENANT, SECRET, 1);
    String tampered = body.replace("\"nonce\":\"105\"", "\"nonce\":\"106\"");
    assertEquals(new Answer(400, "{\"status\":\"hash-mismatch\"}", null), post(tampered));
    assertArrayEquals(new long[] {0, 0}, store.counts());
  }

  @Test
  void hostileBodiesAreRefusedWithoutEcho() throws Exception {
    assertEquals(new Answer(400, "{\"status\":\"malformed\"}", null), post("{\"x\":\"<script>\"}"));
    assertEquals(new Answer(400, "{\"status\":\"malformed\"}", null), post(""));
    byte[] invalidUtf8 = {'{', (byte) 0xC3, (byte) 0x28, '}'};
    assertEquals(
        new Answer(400, "{\"status\":\"encoding\"}", null),
        post(
            Collector.PATH,
            "application/json",
            HttpRequest.BodyPublishers.ofByteArray(invalidUtf8)));
  }

  @Test
  void aBodyOverTheCapIsRefusedWithContentLengthOrChunked() throws Exception {
    byte[] big = new byte[Collector.MAX_BODY_BYTES + 1];
    Arrays.fill(big, (byte) 'a');
    assertEquals(
        413,
        post(Collector.PATH, "application/json", HttpRequest.BodyPublishers.ofByteArray(big))
            .status());
    assertEquals(
        413,
        post(
                Collector.PATH,
                "application/json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
            .status());
    assertNull(lastBody.get(), "nothing handed on");
  }

  @Test
  void refusesEveryContentTypeButJsonWithAtMostTheUtf8Charset() throws Exception {
    String body = payload(301, TENANT, SECRET, 1);
    for (String type :
        List.of(
            "application/jsonp",
            "application/json-seq",
            "application/json; charset=latin1",
            "application/json; foo=bar",
            "text/json",
            "application/x-www-form-urlencoded")) {
      assertEquals(
          new Answer(415, "{\"status\":\"unsupported-media-type\"}", null),
          post(Collector.PATH, type, HttpRequest.BodyPublishers.ofString(body)),
          type);
    }
    assertArrayEquals(new long[] {0, 0}, store.counts());
    assertEquals(
        200,
        post(
                Collector.PATH,
                "application/json;charset=UTF-8",
                HttpRequest.BodyPublishers.ofString(body))
            .status());
  }

  @Test
  void onlyPostOfJsonToTheCollectPathIsServed() throws Exception {
    assertEquals(
        404, post("/other", "application/json", HttpRequest.BodyPublishers.noBody()).status());
    assertEquals(
        415, post(Collector.PATH, "text/plain", HttpRequest.BodyPublishers.ofString("x")).status());
    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(collector.uri()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    assertEquals("POST", get.headers().firstValue("Allow").orElse(null));
  }

  @Test
  void servesHttpsToTheRealTransport() throws Exception {
    TestTls tls = TestTls.create(dir);
    try (Collector secure =
        Collector.builder(new FakeVerifier(), store)
            .withTenantSecret(TENANT, SECRET)
            .withHttps(tls.serverContext())
            .start()) {
      HttpsTransport transport =
          HttpsTransport.builder(secure.uri().toString())
              .withTrustStore(tls.trustStore, TestTls.PASSWORD)
              .build();
      String body = payload(301, TENANT, SECRET, 2);
      assertEquals(new Response(200, null), transport.send(Request.of(body)));
      assertEquals(new Response(200, null), transport.send(Request.of(body)));
      assertEquals(1L, secure.counts().get("accepted"));
      assertEquals(1L, secure.counts().get("duplicate"));
    }
  }

  @Test
  void splitsDataRowsRespectingStringsAndNestedAttributes() {
    String data =
        "{\"dataRows\":[{\"ID\":\"1\",\"A\":\"}{\\\"\"},{\"ID\":\"2\",\"Attributes\":{\"k\":1}}]}";
    assertEquals(
        List.of("{\"ID\":\"1\",\"A\":\"}{\\\"\"}", "{\"ID\":\"2\",\"Attributes\":{\"k\":1}}"),
        DataRows.split(data));
  }
}
