package dev.owly.analytics.servlet.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.sal.api.user.UserKey;
import com.atlassian.sal.api.user.UserManager;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.storage.TestDatabases;
import jakarta.servlet.http.HttpServletRequest;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.util.security.Credential;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's way in: the host signs users in (here Jetty's own BASIC authentication, standing in
 * for Jira's login), a SAL-shaped {@link UserManager} says who is a system administrator, and the
 * documented {@link EmbeddingExample} (component, permission check, servlet) decides. The servlet
 * is mapped to {@code /owly/*} below {@code /plugins/servlet}, as in a Data Center plugin.
 */
class SalPermissionCheckTest {
  static final String SYSADMIN_PASSWORD = "fake-sysadmin-password";
  static final String JANE_PASSWORD = "fake-jane-password";

  /** A UserManager over the container's authentication, with a fixed set of system admins. */
  static final class ContainerUserManager implements UserManager {
    private final Set<String> sysadmins;

    ContainerUserManager(Set<String> sysadmins) {
      this.sysadmins = sysadmins;
    }

    @Override
    public UserKey getRemoteUserKey(HttpServletRequest request) {
      String name = request.getRemoteUser();
      return name == null ? null : new UserKey(name);
    }

    @Override
    public boolean isSystemAdmin(UserKey userKey) {
      return userKey != null && sysadmins.contains(userKey.getStringValue());
    }
  }

  /** Keeps the host's session cookie, as a browser does . */
  final CookieManager cookies = new CookieManager();

  final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();

  @Test
  void shouldLetOnlyTheHostsSystemAdministratorsIn(@TempDir Path dir) throws Exception {
    UserStore users = new UserStore();
    users.addUser("sysadmin", Credential.getCredential(SYSADMIN_PASSWORD), new String[] {"user"});
    users.addUser("jane", Credential.getCredential(JANE_PASSWORD), new String[] {"user"});
    HashLoginService login = new HashLoginService("jira");
    login.setUserStore(users);
    ConstraintSecurityHandler security = new ConstraintSecurityHandler();
    security.setLoginService(login);
    security.setAuthenticator(new BasicAuthenticator());
    // Jetty 12 cannot renew a session id during a deferred (lazy) BASIC login: the host's login
    // happens before the plugin runs, so the stand-in keeps the id.
    security.setSessionRenewedOnAuthentication(false);

    JdbcConnectionPool db = TestDatabases.h2File(dir.resolve("db"));
    try (EmbeddingExample.OwlyComponent component =
            new EmbeddingExample.OwlyComponent(
                db, "node-1", "TEST-0000-0000-0007", new ContainerUserManager(Set.of("sysadmin")));
        Jetty12 jetty =
            Jetty12.start(
                new EmbeddingExample.OwlyServlet(component), "/plugins/servlet/owly/*", security)) {
      assertTrue(component.owly().record("owly.view.settings", Map.of()).accepted());
      component.flushJob(); // local mode: nothing leaves; the job runs and never throws
      URI api = URI.create(jetty.base() + "/plugins/servlet/owly/api/");
      assertEquals(401, get(api.resolve("status"), null).statusCode());
      assertEquals(403, get(api.resolve("status"), basic("jane", JANE_PASSWORD)).statusCode());
      assertEquals(401, get(api.resolve("status"), basic("sysadmin", "wrong")).statusCode());

      HttpResponse<String> status =
          get(api.resolve("status"), basic("sysadmin", SYSADMIN_PASSWORD));
      assertEquals(200, status.statusCode(), status.body());
      // The token lives in the host's session (JSESSIONID, in the client's cookie jar).
      assertTrue(
          cookies.getCookieStore().getCookies().stream()
              .anyMatch(c -> c.getName().equals("JSESSIONID")));
      Matcher csrf = Pattern.compile("\"csrf\":\"([A-Za-z0-9_-]{43})\"").matcher(status.body());
      assertTrue(csrf.find(), status.body());
      // The host signs in; the API's own sign-in is not offered.
      assertEquals(
          404,
          post(api.resolve("session"), null, null, "{\"username\":\"a\",\"password\":\"b\"}")
              .statusCode());

      String off = "{\"mode\":\"off\"}";
      String admin = basic("sysadmin", SYSADMIN_PASSWORD);
      assertEquals(403, post(api.resolve("mode"), admin, null, off).statusCode());
      assertEquals(403, post(api.resolve("mode"), admin, "x" + csrf.group(1), off).statusCode());
      assertEquals(
          403,
          post(api.resolve("mode"), basic("jane", JANE_PASSWORD), csrf.group(1), off).statusCode());
      assertEquals(Mode.LOCAL, component.owly().settings().mode());
      HttpResponse<String> changed = post(api.resolve("mode"), admin, csrf.group(1), off);
      assertEquals(200, changed.statusCode(), changed.body());
      assertEquals(Mode.OFF, component.owly().settings().mode());
      assertEquals(
          Optional.of("DENY"), changed.headers().firstValue("X-Frame-Options"), "security headers");
      assertTrue(get(api.resolve("status"), admin).body().contains("\"pending\":1"));
    } finally {
      db.dispose();
    }
  }

  private HttpResponse<String> get(URI uri, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(URI uri, String authorization, String csrf, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (csrf != null) {
      b.header("X-Owly-CSRF", csrf);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
