package dev.owly.analytics.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.owly.analytics.spi.Header;
import dev.owly.analytics.spi.Request;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.TransportException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsTransportTest {
  static final String BODY =
      "{\"dataEncoded\":\"eyJkYXRhUm93cyI6W119\",\"nonce\":\"1\",\"contentHash\":\"FAKE\",\"otp\":\"000000\"}";

  @TempDir static Path dir;
  static TestTls tls;
  static HttpsServer server;
  static String base;
  static final AtomicReference<byte[]> received = new AtomicReference<>();
  static final AtomicReference<String> contentType = new AtomicReference<>();
  static final AtomicReference<com.sun.net.httpserver.Headers> headers = new AtomicReference<>();
  static final AtomicInteger okHits = new AtomicInteger();
  static final AtomicInteger elsewhereHits = new AtomicInteger();

  @BeforeAll
  static void startServer() throws Exception {
    tls = TestTls.create(dir);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    server.createContext(
        "/ok",
        ex -> {
          received.set(ex.getRequestBody().readAllBytes());
          contentType.set(ex.getRequestHeaders().getFirst("Content-Type"));
          headers.set(ex.getRequestHeaders());
          okHits.incrementAndGet();
          reply(ex, 202, null);
        });
    server.createContext(
        "/busy",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.getResponseHeaders().add("Retry-After", "120");
          reply(ex, 503, null);
        });
    server.createContext(
        "/moved",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.getResponseHeaders().add("Location", base + "/elsewhere");
          reply(ex, 307, null);
        });
    server.createContext(
        "/elsewhere",
        ex -> {
          elsewhereHits.incrementAndGet();
          reply(ex, 200, null);
        });
    server.createContext(
        "/slow",
        ex -> {
          try {
            Thread.sleep(3000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          reply(ex, 200, null);
        });
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
    base = "https://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
    ex.close();
  }

  static HttpsTransport trusting(String path) {
    return HttpsTransport.builder(base + path)
        .withTrustStore(tls.trustStore, TestTls.PASSWORD)
        .withRequestTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Test
  void postsTheExactBodyAsJsonAndReturnsTheStatus() {
    Response response = trusting("/ok").send(Request.of(BODY));
    assertEquals(202, response.status());
    assertNull(response.retryAfter());
    assertArrayEquals(BODY.getBytes(StandardCharsets.UTF_8), received.get());
    assertEquals("application/json", contentType.get());
  }

  @Test
  void sendsTheCoresHeadersAsGiven() {
    Request r =
        new Request(
            BODY,
            List.of(
                new Header("Owly-Signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
                new Header("X-Owly-Key-Id", "key 1")));
    assertEquals(202, trusting("/ok").send(r).status());
    assertEquals(
        "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
        headers.get().getFirst("Owly-Signature"));
    assertEquals("key 1", headers.get().getFirst("X-Owly-Key-Id"));
    assertEquals("application/json", contentType.get());
    assertArrayEquals(BODY.getBytes(StandardCharsets.UTF_8), received.get());
  }

  @Test
  void refusesHeadersThatAreNotSafeTokensAndSendsNothing() {
    List<Header> hostile =
        List.of(
            new Header("X-Evil", "a\r\nHost: elsewhere"),
            new Header("X-Evil", "a\nb"),
            new Header("X-Evil", "nul\u0000"),
            new Header("X-Evil", "caf\u00e9"),
            new Header("X-Evil", ""),
            new Header("X-Evil", " padded"),
            new Header("X-Evil", "x".repeat(HttpsTransport.MAX_HEADER_VALUE + 1)),
            new Header("", "v"),
            new Header("X Evil", "v"),
            new Header("X-Evil:", "v"),
            new Header("X-\u00c9vil", "v"),
            new Header("Content-Type", "text/plain"),
            new Header("content-length", "1"),
            new Header("Host", "elsewhere.invalid"),
            new Header("Connection", "close"),
            new Header("Transfer-Encoding", "chunked"),
            new Header("Expect", "100-continue"),
            new Header("Upgrade", "h2c"),
            new Header("x".repeat(65), "v"));
    int before = okHits.get();
    for (Header h : hostile) {
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> trusting("/ok").send(new Request(BODY, List.of(h))),
              h.name());
      assertEquals(TransportException.Kind.OTHER, e.kind());
      assertEquals("header", e.getMessage());
    }
    List<Header> many = new ArrayList<>();
    for (int i = 0; i <= HttpsTransport.MAX_HEADERS; i++) {
      many.add(new Header("X-N" + i, "v"));
    }
    assertThrows(TransportException.class, () -> trusting("/ok").send(new Request(BODY, many)));
    assertEquals(before, okHits.get(), "a refused request never reaches the collector");
  }

  @Test
  void passesTheRawRetryAfterThrough() {
    Response response = trusting("/busy").send(Request.of(BODY));
    assertEquals(new Response(503, "120"), response);
  }

  @Test
  void doesNotFollowRedirects() {
    Response response = trusting("/moved").send(Request.of(BODY));
    assertEquals(307, response.status());
    assertEquals(0, elsewhereHits.get());
  }

  @Test
  void refusesAServerWhoseCertificateIsNotTrusted() {
    HttpsTransport jvmTrust = HttpsTransport.builder(base + "/ok").build();
    TransportException e =
        assertThrows(TransportException.class, () -> jvmTrust.send(Request.of(BODY)));
    assertEquals(TransportException.Kind.CONNECT, e.kind());
    assertEquals("tls", e.getMessage());
  }

  @Test
  void reportsATimeoutWhenTheCollectorIsTooSlow() {
    HttpsTransport impatient =
        HttpsTransport.builder(base + "/slow")
            .withTrustStore(tls.trustStore, TestTls.PASSWORD)
            .withRequestTimeout(Duration.ofMillis(300))
            .build();
    TransportException e =
        assertThrows(TransportException.class, () -> impatient.send(Request.of(BODY)));
    assertEquals(TransportException.Kind.TIMEOUT, e.kind());
  }

  @Test
  void reportsARefusedConnection() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    HttpsTransport closed = HttpsTransport.builder("http://127.0.0.1:" + port + "/collect").build();
    TransportException e =
        assertThrows(TransportException.class, () -> closed.send(Request.of(BODY)));
    assertEquals(TransportException.Kind.CONNECT, e.kind());
    assertEquals("refused", e.getMessage());
  }

  @Test
  void errorMessagesNeverCarryTheBody() {
    HttpsTransport jvmTrust = HttpsTransport.builder(base + "/ok").build();
    TransportException e =
        assertThrows(TransportException.class, () -> jvmTrust.send(Request.of(BODY)));
    assertFalse(e.getMessage().contains("dataEncoded"));
  }

  @Test
  void refusesPlainHttpOffLoopbackAtConstruction() {
    assertThrows(
        TransportConfigException.class,
        () -> HttpsTransport.builder("http://collector.example.invalid/collect"));
    assertThrows(
        TransportConfigException.class, () -> HttpsTransport.builder("http://10.0.0.1/collect"));
    assertThrows(
        TransportConfigException.class, () -> HttpsTransport.builder("ftp://127.0.0.1/collect"));
    assertThrows(
        TransportConfigException.class,
        () -> HttpsTransport.builder("https://user:pw@collector.example.invalid/"));
    assertThrows(TransportConfigException.class, () -> HttpsTransport.builder("not a url"));
    HttpsTransport.builder("http://127.0.0.1:9/collect").build();
    HttpsTransport.builder("http://localhost:9/collect").build();
    HttpsTransport.builder("http://[::1]:9/collect").build();
    HttpsTransport.builder("https://collector.example.invalid/collect").build();
  }

  @Test
  void loopbackIsDecidedByTheLiteralAlone() {
    assertTrue(HttpsTransport.isLoopback("127.0.0.1"));
    assertTrue(HttpsTransport.isLoopback("127.255.3.4"));
    assertTrue(HttpsTransport.isLoopback("LOCALHOST"));
    assertFalse(HttpsTransport.isLoopback("127.0.0.1.example.invalid"));
    assertFalse(HttpsTransport.isLoopback("127.0.0.256"));
    assertFalse(HttpsTransport.isLoopback("128.0.0.1"));
    assertFalse(HttpsTransport.isLoopback("localhost.example.invalid"));
  }

  @Test
  void configuredTransportReportsNotConfiguredWithoutAUrlAndFollowsChanges() {
    AtomicReference<Optional<String>> url = new AtomicReference<>(Optional.empty());
    ConfiguredTransport transport =
        new ConfiguredTransport(
            url::get,
            u ->
                HttpsTransport.builder(u).withTrustStore(tls.trustStore, TestTls.PASSWORD).build());
    assertEquals(
        TransportException.Kind.NOT_CONFIGURED,
        assertThrows(TransportException.class, () -> transport.send(Request.of(BODY))).kind());
    url.set(Optional.of("http://collector.example.invalid/collect"));
    TransportException e =
        assertThrows(TransportException.class, () -> transport.send(Request.of(BODY)));
    assertEquals(TransportException.Kind.CONNECT, e.kind());
    assertEquals("config", e.getMessage());
    url.set(Optional.of(base + "/ok"));
    assertEquals(202, transport.send(Request.of(BODY)).status());
  }
}
