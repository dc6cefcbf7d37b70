package dev.owly.analytics.standalone;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.admin.AdminApi;
import dev.owly.analytics.admin.AdminApiContract;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The admin API's cases on the standalone host's embedded Jetty 12 ({@link AdminServer}). */
class StandaloneAdminApiTest extends AdminApiContract {
  @Override
  protected Served serve(AdminApi.Builder api) {
    AdminServer server = AdminServer.start(api, 0);
    return new Served() {
      @Override
      public URI base() {
        return URI.create("http://127.0.0.1:" + server.port());
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }

  @Test
  void shouldRefuseEveryRequestUnderAnotherHostName() throws Exception {
    String body = "{\"username\":\"" + ADMIN + "\",\"password\":\"" + ADMIN_PASSWORD + "\"}";
    for (String head :
        java.util.List.of(
            "POST /owly/api/session HTTP/1.1\r\nHost: rebind.example\r\n"
                + "Origin: http://rebind.example\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\nConnection: close\r\n\r\n"
                + body,
            "GET /owly/admin/ HTTP/1.1\r\nHost: rebind.example:80\r\nConnection: close\r\n\r\n",
            "GET /owly/api/status HTTP/1.1\r\nHost: 127.0.0.2:1\r\nConnection: close\r\n\r\n")) {
      String answer = rawRequest(head);
      assertTrue(answer.startsWith("HTTP/1.1 421 "), answer);
      assertTrue(answer.endsWith("{\"error\":\"misdirected\"}"), answer);
      assertTrue(answer.toLowerCase(Locale.ROOT).contains("x-frame-options: deny"), answer);
      assertTrue(!answer.toLowerCase(Locale.ROOT).contains("set-cookie"), answer);
    }
  }
}
