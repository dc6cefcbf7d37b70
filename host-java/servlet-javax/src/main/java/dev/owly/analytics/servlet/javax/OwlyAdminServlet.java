package dev.owly.analytics.servlet.javax;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.admin.AdminApi;
import dev.owly.analytics.admin.AdminResponse;
import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The admin API and page ({@code docs/admin-api.md}) as a {@code javax.servlet} 4.0 servlet: every
 * request goes to {@link AdminApi#handle}, every answer is written as the core made it. Map it to
 * {@code /owly/*}; the core sees the path after the context path and {@code prefix} (a Data Center
 * plugin's servlets live under {@code /plugins/servlet}).
 */
public class OwlyAdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient AdminApi api;
  private final String prefix;

  /** A servlet whose paths start with {@code /owly/} after the context path. */
  public OwlyAdminServlet(AdminApi api) {
    this(api, "");
  }

  /** A servlet whose paths start with {@code prefix + "/owly/"} after the context path. */
  public OwlyAdminServlet(AdminApi api, String prefix) {
    this.api = requireNonNull(api, "api");
    this.prefix = requireNonNull(prefix, "prefix");
    if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
      throw new IllegalArgumentException("prefix must be empty or /like/this");
    }
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    write(api.handle(new ServletAdminExchange(request, prefix)), response);
  }

  private static void write(AdminResponse answer, HttpServletResponse response) throws IOException {
    response.setStatus(answer.status());
    for (AdminResponse.Header h : answer.headers()) {
      if (h.name().equalsIgnoreCase("Content-Type")) {
        response.setContentType(h.value());
      } else {
        response.addHeader(h.name(), h.value());
      }
    }
    if (answer.closeConnection()) {
      response.setHeader("Connection", "close");
    }
    if (answer.contentLength() > 0) {
      response.setContentLengthLong(answer.contentLength());
    }
    if (answer.body().length > 0) {
      response.getOutputStream().write(answer.body());
    }
  }
}
