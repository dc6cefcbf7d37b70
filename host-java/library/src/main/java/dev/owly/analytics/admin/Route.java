package dev.owly.analytics.admin;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * One endpoint of the admin API: {@code <method> /owly/api/<name>}, who may call it, and its
 * handler. The routes are listed in one place, {@link Endpoints#routes()}; the dispatch in {@link
 * AdminApi} applies the guards before a handler runs, so a handler only does its job:
 *
 * <ul>
 *   <li>{@link Needs#ADMIN} (every data endpoint): 401 anonymous, 403 non-administrators;
 *   <li>{@link Needs#SIGNED_IN} ({@code logout}): any signed-in user;
 *   <li>{@link Needs#NOBODY} ({@code session}): no caller, but same-origin JSON for a POST.
 * </ul>
 *
 * A {@code POST} of a signed-in caller also needs the session's {@code X-Owly-CSRF}, a JSON content
 * type and a same-origin {@code Origin}; its body is read (bounded) and parsed before the handler.
 */
record Route(String method, String name, Needs needs, Handler handler) {
  /** Who may call a route. */
  enum Needs {
    NOBODY,
    SIGNED_IN,
    ADMIN
  }

  /** Answers one call that passed the guards. */
  @FunctionalInterface
  interface Handler {
    AdminResponse handle(Call call);
  }

  /**
   * A call that passed the guards.
   *
   * @param caller who sent it (anonymous only for {@link Needs#NOBODY})
   * @param request the request (headers, query, address)
   * @param body the parsed JSON object of a {@code POST}; empty for a {@code GET}
   */
  record Call(Caller caller, AdminExchange request, Map<String, Object> body) {
    /** The first value of a query parameter, percent-decoded; empty when absent. */
    Optional<String> query(String name) {
      return Guards.queryParameter(request.rawQuery().orElse(""), name);
    }
  }

  Route {
    requireNonNull(method, "method");
    requireNonNull(name, "name");
    requireNonNull(needs, "needs");
    requireNonNull(handler, "handler");
  }

  /** An administrator's read. */
  static Route get(String name, Handler handler) {
    return new Route("GET", name, Needs.ADMIN, handler);
  }

  /** An administrator's state change (CSRF token, JSON body). */
  static Route post(String name, Handler handler) {
    return new Route("POST", name, Needs.ADMIN, handler);
  }
}
