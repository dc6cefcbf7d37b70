package dev.owly.analytics.transport;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.spi.Header;
import dev.owly.analytics.spi.Request;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Transport;
import dev.owly.analytics.spi.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * POSTs the exact wire-format body to the collector on {@link HttpClient}. Certificates are
 * verified (against the JVM's trust store, or a given one); redirects are never followed (a 3xx
 * goes back to the core as a status, which fails the batch for good rather than sending it
 * somewhere else); the JVM's proxy settings apply. Plain {@code http://} is refused unless the host
 * is a loopback literal. The core's extra headers are sent as given once each is a safe token
 * ({@link #safeHeader}); one that is not refuses the whole send as {@code other("header")}, so a
 * header can never split the request or replace the transport's own. The body and header values are
 * never logged; failures become short codes.
 */
public final class HttpsTransport implements Transport {
  /** Default connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Default request timeout: well inside a flush's budget and the guest call's time limit, so a
   * collector that never answers ends as a {@code timeout} the core retries, never as a guest call
   * cut off in the middle of a send.
   */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** The longest one send can take with the default timeouts. */
  public static final Duration DEFAULT_LONGEST_SEND =
      DEFAULT_CONNECT_TIMEOUT.plus(DEFAULT_REQUEST_TIMEOUT);

  private final URI uri;
  private final HttpClient client;
  private final Duration requestTimeout;

  private HttpsTransport(Builder b) {
    this.uri = b.uri;
    this.requestTimeout = b.requestTimeout;
    HttpClient.Builder client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(b.connectTimeout)
            .proxy(b.proxySelector);
    if (b.sslContext != null) {
      client.sslContext(b.sslContext);
    }
    this.client = client.build();
  }

  /**
   * A builder for the collector at {@code url} ({@code https://…}, or {@code http://} on loopback).
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** Builds an {@link HttpsTransport}. */
  public static final class Builder {
    private final URI uri;
    private SSLContext sslContext;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private ProxySelector proxySelector = ProxySelector.getDefault();

    private Builder(String url) {
      this.uri = checkUrl(requireNonNull(url, "url"));
    }

    /** Trusts only the certificates in this key store (PKCS12 or JKS) instead of the JVM's. */
    public Builder withTrustStore(Path path, char[] password) {
      requireNonNull(path, "path");
      try (InputStream in = Files.newInputStream(path)) {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(in, password);
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        this.sslContext = context;
      } catch (IOException | GeneralSecurityException e) {
        throw new TransportConfigException("transport.trust-store", e);
      }
      return this;
    }

    /** Uses this TLS context (trust and client keys) instead of the JVM's default. */
    public Builder withSslContext(SSLContext sslContext) {
      this.sslContext = requireNonNull(sslContext, "sslContext");
      return this;
    }

    public Builder withConnectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout);
      return this;
    }

    /** The longest a whole request may take, from sending to the response headers. */
    public Builder withRequestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout);
      return this;
    }

    /** Overrides the JVM-wide proxy settings ({@link ProxySelector#getDefault()}). */
    public Builder withProxySelector(ProxySelector proxySelector) {
      this.proxySelector = requireNonNull(proxySelector, "proxySelector");
      return this;
    }

    public HttpsTransport build() {
      return new HttpsTransport(this);
    }

    private static Duration positive(Duration d) {
      requireNonNull(d, "duration");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      return d;
    }
  }

  static URI checkUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new TransportConfigException("transport.url.invalid");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || uri.getUserInfo() != null || uri.getFragment() != null) {
      throw new TransportConfigException("transport.url.invalid");
    }
    if (scheme.equals("http")) {
      if (!isLoopback(uri.getHost())) {
        throw new TransportConfigException("transport.url.plain-http-off-loopback");
      }
    } else if (!scheme.equals("https")) {
      throw new TransportConfigException("transport.url.scheme");
    }
    return uri;
  }

  /** Loopback by its literal form only: no DNS lookup decides whether plain HTTP is allowed. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.equals("[::1]") || h.equals("::1")) {
      return true;
    }
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  public URI uri() {
    return uri;
  }

  /** Most extra headers one send may carry. */
  static final int MAX_HEADERS = 16;

  /** Longest extra header value (a signature is far shorter). */
  static final int MAX_HEADER_VALUE = 1024;

  /** Names the transport sets itself or that change how the message is framed or routed. */
  private static final Set<String> RESERVED =
      Set.of(
          "content-type",
          "content-length",
          "content-encoding",
          "transfer-encoding",
          "host",
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authorization",
          "te",
          "trailer",
          "upgrade",
          "expect");

  /**
   * Whether a header may be sent: the name is an RFC 9110 token of at most 64 characters that the
   * transport does not set itself; the value is 1 to {@value #MAX_HEADER_VALUE} visible ASCII
   * characters, spaces only between them (no CR, LF, NUL or other control).
   */
  static boolean safeHeader(Header h) {
    String name = h.name();
    if (name.isEmpty() || name.length() > 64 || RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
        return false;
      }
    }
    String value = h.value();
    if (value.isEmpty()
        || value.length() > MAX_HEADER_VALUE
        || value.charAt(0) == ' '
        || value.charAt(value.length() - 1) == ' ') {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Response send(Request r) {
    requireNonNull(r, "request");
    if (r.headers().size() > MAX_HEADERS) {
      throw new TransportException(TransportException.Kind.OTHER, "header");
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(r.body(), StandardCharsets.UTF_8));
    for (Header h : r.headers()) {
      if (!safeHeader(h)) {
        throw new TransportException(TransportException.Kind.OTHER, "header");
      }
      try {
        b.header(h.name(), h.value());
      } catch (IllegalArgumentException e) {
        // HttpClient's own restricted names: refused like ours, never sent.
        throw new TransportException(TransportException.Kind.OTHER, "header", e);
      }
    }
    HttpRequest request = b.build();
    try {
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      Optional<String> retryAfter = response.headers().firstValue("Retry-After");
      return new Response(response.statusCode(), retryAfter.orElse(null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException(TransportException.Kind.OTHER, "interrupted", e);
    } catch (IOException e) {
      throw classify(e);
    } catch (UnresolvedAddressException e) {
      throw new TransportException(TransportException.Kind.CONNECT, "dns", e);
    }
  }

  /** Maps an I/O failure to the WIT transport-error, looking through the cause chain. */
  static TransportException classify(IOException e) {
    if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
      return new TransportException(TransportException.Kind.TIMEOUT, "timeout", e);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException || t instanceof SSLException) {
        return new TransportException(TransportException.Kind.CONNECT, "tls", e);
      }
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return new TransportException(TransportException.Kind.CONNECT, "dns", e);
      }
      if (t instanceof NoRouteToHostException) {
        return new TransportException(TransportException.Kind.CONNECT, "unreachable", e);
      }
      if (t instanceof ConnectException) {
        // a ConnectException may still wrap a TLS or DNS cause: keep looking first
        Throwable deeper = t.getCause();
        if (deeper == null || deeper instanceof ConnectException) {
          return new TransportException(TransportException.Kind.CONNECT, "refused", e);
        }
      }
    }
    return new TransportException(TransportException.Kind.OTHER, "io", e);
  }

  @Override
  public String toString() {
    return "HttpsTransport[" + uri.getScheme() + "://" + uri.getHost() + "]";
  }
}
