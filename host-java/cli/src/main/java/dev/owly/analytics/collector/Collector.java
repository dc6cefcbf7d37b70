package dev.owly.analytics.collector;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.OwlyException;
import dev.owly.analytics.Text;
import dev.owly.analytics.core.Decoded;
import dev.owly.analytics.core.PayloadException;
import dev.owly.analytics.core.Verified;
import dev.owly.analytics.http.BoundedBody;
import dev.owly.analytics.http.MediaTypes;
import dev.owly.analytics.spi.Clock;
import dev.owly.analytics.standalone.JettyServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference collector: {@value #PATH} over HTTPS (or plain HTTP, loopback only), bound to
 * 127.0.0.1, on the standalone host's embedded Jetty ({@link JettyServer}: timeouts, bounded
 * workers). Answers (always {@code {"status":"…"}}, never content):
 *
 * <ul>
 *   <li>200 {@code accepted} — verified and stored; 200 {@code duplicate} — nonce seen before with
 *       the same content hash (a resend);
 *   <li>400 {@code malformed} / {@code encoding} / {@code hash-mismatch}; 403 {@code
 *       unknown-tenant} / {@code otp-mismatch}; 404, 405, 415;
 *   <li>409 {@code nonce-conflict} — nonce seen before with another hash;
 *   <li>413 {@code too-large} — body over {@value #MAX_BODY_BYTES} bytes (not read further);
 *   <li>429 {@code rate-limited} with {@code Retry-After} — too many otp failures for the tenant;
 *   <li>503 {@code unavailable} — its database failed (the sender retries).
 * </ul>
 */
public final class Collector implements AutoCloseable {
  /** The path payloads are POSTed to. */
  public static final String PATH = "/collect";

  /** 512 KiB of {@code dataEncoded} plus 1 KiB for the rest of the envelope. */
  public static final int MAX_BODY_BYTES = 512 * 1024 + 1024;

  private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

  /** Receives every body read in full, byte-exact, before it is verified. */
  @FunctionalInterface
  public interface BodySink {
    void received(byte[] body, long receivedAtSeconds);
  }

  private final PayloadVerifier verifier;
  private final CollectorStore store;
  private final Function<String, Optional<byte[]>> secrets;
  private final Clock clock;
  private final int failureLimit;
  private final long failureWindowMs;
  private final BodySink sink;
  private final JettyServer server;
  private final boolean https;
  private final Map<String, Deque<Long>> failures = new HashMap<>();
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

  private Collector(Builder b) {
    this.verifier = b.verifier;
    this.store = b.store;
    this.secrets = b.secrets;
    this.clock = b.clock;
    this.failureLimit = b.failureLimit;
    this.failureWindowMs = b.failureWindow.toMillis();
    this.sink = b.sink;
    this.https = b.sslContext != null;
    this.server =
        JettyServer.start(
            "owly-collector",
            b.port,
            b.sslContext,
            MAX_BODY_BYTES,
            new Handler.Abstract() {
              @Override
              public boolean handle(Request request, Response response, Callback callback)
                  throws IOException {
                Collector.this.handle(new Exchange(request, response, callback));
                return true;
              }
            },
            null);
  }

  public static Builder builder(PayloadVerifier verifier, CollectorStore store) {
    return new Builder(verifier, store);
  }

  /** Builds and starts a {@link Collector}. */
  public static final class Builder {
    private final PayloadVerifier verifier;
    private final CollectorStore store;
    private final Map<String, byte[]> tenantSecrets = new HashMap<>();
    private byte[] anyTenantSecret;
    private Function<String, Optional<byte[]>> secrets;
    private Clock clock = Clock.system();
    private int port;
    private SSLContext sslContext;
    private int failureLimit = 10;
    private Duration failureWindow = Duration.ofMinutes(1);
    private BodySink sink = (body, at) -> {};

    private Builder(PayloadVerifier verifier, CollectorStore store) {
      this.verifier = requireNonNull(verifier, "verifier");
      this.store = requireNonNull(store, "store");
    }

    /** The shared secret of one tenant (server id). */
    public Builder withTenantSecret(String tenant, byte[] secret) {
      tenantSecrets.put(requireNonNull(tenant, "tenant"), checkSecret(secret));
      return this;
    }

    /** One secret for every tenant without its own (a single-instance or demo collector). */
    public Builder withAnyTenantSecret(byte[] secret) {
      this.anyTenantSecret = checkSecret(secret);
      return this;
    }

    /** Looks secrets up elsewhere (a vendor's tenant database); overrides the two above. */
    public Builder withSecrets(Function<String, Optional<byte[]>> secrets) {
      this.secrets = requireNonNull(secrets, "secrets");
      return this;
    }

    public Builder withClock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** The port on 127.0.0.1; 0 (default) picks a free one. */
    public Builder withPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range");
      }
      this.port = port;
      return this;
    }

    /** Serves HTTPS with this context; without it, plain HTTP on loopback. */
    public Builder withHttps(SSLContext sslContext) {
      this.sslContext = requireNonNull(sslContext, "sslContext");
      return this;
    }

    /** At most {@code limit} otp failures per tenant within {@code window}, then 429. */
    public Builder withFailureLimit(int limit, Duration window) {
      if (limit < 1 || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("limit and window must be positive");
      }
      this.failureLimit = limit;
      this.failureWindow = window;
      return this;
    }

    public Builder withBodySink(BodySink sink) {
      this.sink = requireNonNull(sink, "sink");
      return this;
    }

    public Collector start() {
      if (secrets == null) {
        Map<String, byte[]> fixed = Map.copyOf(tenantSecrets);
        byte[] fallback = anyTenantSecret;
        secrets =
            tenant -> Optional.ofNullable(fixed.getOrDefault(tenant, fallback)).map(byte[]::clone);
      }
      return new Collector(this);
    }

    private static byte[] checkSecret(byte[] secret) {
      requireNonNull(secret, "secret");
      if (secret.length < 20) {
        throw new IllegalArgumentException("secret must be at least 20 bytes");
      }
      return secret.clone();
    }
  }

  public int port() {
    return server.port();
  }

  /** Where senders POST to. */
  public URI uri() {
    return URI.create((https ? "https" : "http") + "://127.0.0.1:" + port() + PATH);
  }

  /** How many requests ended with each status word ({@code accepted}, {@code otp-mismatch}…). */
  public Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  private void count(String status) {
    counters.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
  }

  /** One request as the collector reads it, and its one answer (on Jetty). */
  private static final class Exchange {
    private final Request request;
    private final Response response;
    private final Callback callback;

    Exchange(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    String path() {
      return request.getHttpURI().getPath();
    }

    String method() {
      return request.getMethod();
    }

    String header(String name) {
      return request.getHeaders().get(name);
    }

    InputStream body() {
      return Content.Source.asInputStream(request);
    }

    void addHeader(String name, String value) {
      response.getHeaders().add(name, value);
    }

    /**
     * Sends the answer. What the collector left of the body (refused unread or too large) is
     * skipped first when it is small enough to arrive soon ({@link BoundedBody#skipRest}), so the
     * sender reads the answer; else the connection closes after it.
     */
    void send(int status, byte[] json) {
      String length = header("Content-Length");
      boolean body =
          (length != null && !length.strip().equals("0")) || header("Transfer-Encoding") != null;
      if (body && !BoundedBody.skipRest(body(), length)) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
      response.write(true, ByteBuffer.wrap(json), callback);
    }
  }

  private void handle(Exchange ex) throws IOException {
    try {
      if (!PATH.equals(ex.path())) {
        respond(ex, 404, "not-found", null);
        return;
      }
      if (!"POST".equals(ex.method())) {
        ex.addHeader("Allow", "POST");
        respond(ex, 405, "method-not-allowed", null);
        return;
      }
      if (!MediaTypes.isJson(ex.header("Content-Type"))) {
        respond(ex, 415, "unsupported-media-type", null);
        return;
      }
      String length = ex.header("Content-Length");
      byte[] body =
          length != null && BoundedBody.declaredTooLarge(length, MAX_BODY_BYTES)
              ? null
              : BoundedBody.read(ex.body(), MAX_BODY_BYTES);
      if (body == null) {
        respond(ex, 413, "too-large", null); // never kept; Exchange.send skips the rest
        return;
      }
      long nowMs = clock.nowMs();
      sink.received(body, Math.floorDiv(nowMs, 1000));
      answer(ex, body, nowMs);
    } catch (RuntimeException e) {
      LOG.error("collector.internal-error {}", e.getClass().getSimpleName());
      respond(ex, 500, "internal-error", null);
    }
  }

  private void answer(Exchange ex, byte[] bytes, long nowMs) throws IOException {
    String body;
    try {
      body = Text.strictUtf8(bytes);
    } catch (CharacterCodingException e) {
      respond(ex, 400, "encoding", null);
      return;
    }
    Decoded decoded;
    String tenant;
    try {
      decoded = verifier.decode(body);
      if (!decoded.hashOk()) {
        respond(ex, 400, "hash-mismatch", null);
        return;
      }
      tenant = DataRows.tenant(decoded.dataJson()).orElse(null);
    } catch (PayloadException e) {
      payloadError(ex, e);
      return;
    } catch (IllegalArgumentException e) {
      respond(ex, 400, "malformed", null);
      return;
    }
    if (tenant == null) {
      respond(ex, 400, "malformed", null);
      return;
    }
    Optional<byte[]> secret = secrets.apply(tenant);
    if (secret.isEmpty()) {
      respond(ex, 403, "unknown-tenant", null);
      return;
    }
    long retryAfterSeconds = rateLimited(tenant, nowMs);
    if (retryAfterSeconds > 0) {
      respond(ex, 429, "rate-limited", Long.toString(retryAfterSeconds));
      return;
    }
    Verified verified;
    try {
      verified = verifier.verify(body, secret.get(), Math.floorDiv(nowMs, 1000), 1);
    } catch (PayloadException e) {
      if (e.kind() == PayloadException.Kind.OTP_MISMATCH) {
        recordFailure(tenant, nowMs);
        LOG.warn("collector.otp-mismatch tenant-failures={}", failuresOf(tenant, nowMs));
      }
      payloadError(ex, e);
      return;
    }
    if (!verified.tenant().equals(tenant)) {
      respond(ex, 400, "malformed", null);
      return;
    }
    CollectorStore.Outcome outcome;
    try {
      outcome =
          store.store(
              verified.nonce(),
              verified.contentHash(),
              tenant,
              verified.stepOffset(),
              Math.floorDiv(nowMs, 1000),
              body,
              DataRows.split(decoded.dataJson()));
    } catch (OwlyException e) {
      LOG.error("collector.store-failed {}", e.getMessage());
      respond(ex, 503, "unavailable", "30");
      return;
    }
    switch (outcome) {
      case ACCEPTED -> {
        LOG.info("collector.accepted rows={}", verified.rowCount());
        respond(ex, 200, "accepted", null);
      }
      case DUPLICATE -> respond(ex, 200, "duplicate", null);
      case CONFLICT -> respond(ex, 409, "nonce-conflict", null);
    }
  }

  private void payloadError(Exchange ex, PayloadException e) throws IOException {
    switch (e.kind()) {
      case TOO_LARGE -> respond(ex, 413, "too-large", null);
      case HASH_MISMATCH -> respond(ex, 400, "hash-mismatch", null);
      case OTP_MISMATCH -> respond(ex, 403, "otp-mismatch", null);
      case WEAK_SECRET -> respond(ex, 500, "weak-secret", null);
      default -> respond(ex, 400, "malformed", null);
    }
  }

  /** Seconds until the tenant may try again, or 0 when it is under the limit. */
  private synchronized long rateLimited(String tenant, long nowMs) {
    Deque<Long> times = failures.get(tenant);
    if (times == null) {
      return 0;
    }
    prune(times, nowMs);
    if (times.size() < failureLimit) {
      return 0;
    }
    long freeAt = times.peekFirst() + failureWindowMs;
    return Math.max(1, (freeAt - nowMs + 999) / 1000);
  }

  private synchronized void recordFailure(String tenant, long nowMs) {
    Deque<Long> times = failures.computeIfAbsent(tenant, t -> new ArrayDeque<>());
    prune(times, nowMs);
    times.addLast(nowMs);
  }

  private synchronized int failuresOf(String tenant, long nowMs) {
    Deque<Long> times = failures.get(tenant);
    return times == null ? 0 : times.size();
  }

  private void prune(Deque<Long> times, long nowMs) {
    while (!times.isEmpty() && times.peekFirst() <= nowMs - failureWindowMs) {
      times.pollFirst();
    }
  }

  private void respond(Exchange ex, int status, String word, String retryAfter) throws IOException {
    count(word);
    byte[] json = ("{\"status\":\"" + word + "\"}").getBytes(StandardCharsets.UTF_8);
    if (retryAfter != null) {
      ex.addHeader("Retry-After", retryAfter);
    }
    ex.send(status, json);
  }

  @Override
  public void close() {
    server.close();
  }

  /** Only what matters for operations: never secrets. */
  @Override
  public String toString() {
    return "Collector[" + uri() + "]";
  }
}
