package dev.owly.analytics.admin;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.api.Owly;
import dev.owly.analytics.core.Core;
import dev.owly.analytics.settings.JdbcSettings;
import dev.owly.analytics.spi.StorageException;
import dev.owly.analytics.storage.JdbcStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API v1 ({@code docs/admin-api.md}) and the admin page, independent of any server: an
 * adapter hands each request to {@link #handle} as an {@link AdminExchange} and writes the {@link
 * AdminResponse} it gets back (the servlet adapters of {@code owly-servlet-javax} and {@code
 * owly-servlet-jakarta}, the standalone host's embedded Jetty).
 *
 * <ul>
 *   <li>{@code /owly/api/*}: JSON; 401 for anonymous callers and 403 for non-administrators (as
 *       decided by the {@link PermissionCheck}), on every path but {@code /owly/api/session};
 *       state-changing calls need the session's {@code X-Owly-CSRF} token, {@code Content-Type:
 *       application/json} and a same-origin {@code Origin} if one is sent (else 403 {@code csrf});
 *       bodies over {@value #MAX_BODY_BYTES} bytes: 413 without reading further; bad input: 400.
 *       The routes are listed in {@link Endpoints#routes()}.
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

  /** How many ledger entries {@code /ledger} shows, newest first. */
  public static final int LEDGER_LIMIT = 200;

  /** The retention the API accepts, in days (0 = keep forever). */
  public static final int MAX_RETENTION_DAYS = 3650;

  /** Sent with every admin response. */
  public static final Map<String, String> SECURITY_HEADERS = securityHeaders();

  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final String PAGE_CONTEXT = "/owly/admin";

  private final PermissionCheck check;
  private final StaticFiles files;

  /** Lower case {@code host[:port]} values a request's {@code Host} must be; empty: any. */
  private final Set<String> allowedHosts;

  /** name → method → route. */
  private final Map<String, Map<String, Route>> routes;

  private AdminApi(Builder b) {
    this.check = b.check;
    this.allowedHosts = Set.copyOf(b.allowedHosts);
    this.files =
        b.staticRoot != null
            ? StaticFiles.directory(b.staticRoot)
            : StaticFiles.classpath(AdminApi.class.getClassLoader(), "owly/www/");
    Map<String, Map<String, Route>> table = new LinkedHashMap<>();
    for (Route r : new Endpoints(b.core, b.storage, b.settings, b.check).routes()) {
      if (table.computeIfAbsent(r.name(), n -> new LinkedHashMap<>()).put(r.method(), r) != null) {
        throw new IllegalStateException("route listed twice: " + r.method() + " " + r.name());
      }
    }
    this.routes = Collections.unmodifiableMap(table);
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
    return Collections.unmodifiableMap(h);
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
    private final Set<String> allowedHosts = new LinkedHashSet<>();

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

    /**
     * Answers only requests whose {@code Host} header is one of these {@code host[:port]} values
     * (compared case-insensitively), and every other request 421 {@code misdirected}: a page on
     * another name that resolves to this server (DNS rebinding) gets nothing. The standalone server
     * sets its own address; a plugin may set the product's base URL (the host checks it too).
     */
    public Builder withAllowedHosts(Collection<String> hosts) {
      for (String h : requireNonNull(hosts, "hosts")) {
        if (requireNonNull(h, "host").isBlank() || h.contains("/")) {
          throw new IllegalArgumentException("a host is host[:port]");
        }
        allowedHosts.add(h.toLowerCase(Locale.ROOT));
      }
      return this;
    }

    public AdminApi build() {
      return new AdminApi(this);
    }
  }

  /**
   * Answers one request: {@code /owly/api/…}, {@code /owly/admin…}, anything else 404. Never throws
   * for a bad request; an I/O error reading the body is the adapter's to end the exchange.
   */
  public AdminResponse handle(AdminExchange request) throws IOException {
    requireNonNull(request, "request");
    AdminResponse response;
    String path = request.rawPath();
    if (!hostAllowed(request)) {
      LOG.warn("owly admin: request for another host refused");
      response = AdminResponse.error(421, "misdirected");
    } else if (path.startsWith(API_PATH)) {
      response = api(request);
    } else if (path.equals(PAGE_CONTEXT) || path.startsWith(PAGE_PATH)) {
      response = page(request, path);
    } else {
      response = AdminResponse.error(404, "not-found");
    }
    SECURITY_HEADERS.forEach(response::header);
    if (!Guards.finishBody(request)) {
      response.closing();
    }
    return response;
  }

  private boolean hostAllowed(AdminRequest request) {
    if (allowedHosts.isEmpty()) {
      return true;
    }
    Optional<String> host = request.header("Host");
    return host.isPresent() && allowedHosts.contains(host.get().toLowerCase(Locale.ROOT));
  }

  // ------------------------------------------------------------------------------------------
  // Page

  private AdminResponse page(AdminExchange request, String path) {
    String method = request.method();
    try {
      if (!method.equals("GET") && !method.equals("HEAD")) {
        return AdminResponse.error(405, "method-not-allowed").header("Allow", "GET, HEAD");
      }
      if (path.equals(PAGE_CONTEXT)) {
        return AdminResponse.empty(302).header("Location", PAGE_PATH);
      }
      Optional<StaticFiles.File> file = files.find(path.substring(PAGE_PATH.length()));
      if (file.isEmpty()) {
        return AdminResponse.error(404, "not-found");
      }
      AdminResponse ok = AdminResponse.bytes(200, file.get().contentType(), file.get().bytes());
      return method.equals("HEAD") ? ok.withoutBody() : ok;
    } catch (RuntimeException e) {
      LOG.error("owly admin page failed: {}", e.getClass().getSimpleName());
      return AdminResponse.error(500, "internal");
    }
  }

  // ------------------------------------------------------------------------------------------
  // API

  private AdminResponse api(AdminExchange request) throws IOException {
    try {
      return route(request);
    } catch (BadRequestException e) {
      return AdminResponse.error(400, e.code());
    } catch (Guards.BodyRefused e) {
      return e.response();
    } catch (StorageException e) {
      LOG.error("owly admin: storage unavailable ({})", e.getMessage());
      return AdminResponse.error(503, "unavailable");
    } catch (RuntimeException e) {
      LOG.error("owly admin: request failed: {}", e.getClass().getSimpleName());
      return AdminResponse.error(500, "internal");
    }
  }

  /**
   * The guards in their order: sign-in needs no caller; then 401 anonymous, 403 non-administrators
   * (on unknown paths too, so they learn nothing), 404, 405, and for a POST the CSRF token, content
   * type and origin (403 {@code csrf}) before the body is read.
   */
  private AdminResponse route(AdminExchange request) throws IOException, Guards.BodyRefused {
    String name = request.rawPath().substring(API_PATH.length());
    Map<String, Route> byMethod = routes.getOrDefault(name, Map.of());
    Route route = byMethod.get(request.method());
    boolean open = byMethod.values().stream().anyMatch(r -> r.needs() == Route.Needs.NOBODY);
    Caller caller = open ? Caller.anonymous() : check.check(request);
    if (!open) {
      if (caller == null || caller.access() == Access.ANONYMOUS) {
        return AdminResponse.error(401, "unauthenticated");
      }
      boolean forAnyUser =
          byMethod.values().stream().anyMatch(r -> r.needs() == Route.Needs.SIGNED_IN);
      if (caller.access() != Access.ADMIN && !forAnyUser) {
        return AdminResponse.error(403, "forbidden");
      }
    }
    if (byMethod.isEmpty()) {
      return AdminResponse.error(404, "not-found");
    }
    if (route == null) {
      return AdminResponse.error(405, "method-not-allowed")
          .header("Allow", byMethod.keySet().stream().collect(Collectors.joining(", ")));
    }
    Map<String, Object> body = Map.of();
    if (route.method().equals("POST")) {
      boolean tokenOk = open || Guards.csrfTokenMatches(request, caller);
      // No token yet for the sign-in, but a cross-site page must not sign the browser in either.
      if (!tokenOk || !Guards.jsonContentType(request) || !Guards.sameOrigin(request)) {
        return AdminResponse.error(403, "csrf");
      }
      body = Guards.jsonBody(request, MAX_BODY_BYTES);
    }
    return route.handler().handle(new Route.Call(caller, request, body));
  }

  /** The routes, as {@code "GET status"}… (for tests and the docs). */
  List<String> routeNames() {
    return routes.values().stream()
        .flatMap(m -> m.values().stream())
        .map(r -> r.method() + " " + r.name())
        .toList();
  }

  @Override
  public String toString() {
    return "AdminApi[" + files + "]";
  }
}
