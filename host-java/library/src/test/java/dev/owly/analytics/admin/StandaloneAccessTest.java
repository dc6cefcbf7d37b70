package dev.owly.analytics.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Sessions, expiry and the sign-in rate limit of the standalone access control. */
class StandaloneAccessTest {
  final AtomicLong now = new AtomicLong(1_700_000_000_000L);

  StandaloneAccess access() {
    return StandaloneAccess.builder("admin", "admin-pw")
        .withUser("jane", "jane-pw")
        .withClock(now::get)
        .withSessionTtl(Duration.ofHours(8))
        .withFailureLimit(3, 5, Duration.ofMinutes(1))
        .build();
  }

  static AdminRequest request(String address, String cookie) {
    Map<String, String> headers = cookie == null ? Map.of() : Map.of("Cookie", cookie);
    return new AdminRequest() {
      @Override
      public String method() {
        return "GET";
      }

      @Override
      public String rawPath() {
        return "/owly/api/status";
      }

      @Override
      public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
      }

      @Override
      public String remoteAddress() {
        return address;
      }

      @Override
      public boolean secure() {
        return false;
      }
    };
  }

  static AdminRequest withSession(SignIn s) {
    return request("127.0.0.1", "theme=dark; OWLYSESSION=" + s.sessionId() + "; other=1");
  }

  @Test
  void shouldTellAdministratorsUsersAndAnonymousApart() {
    StandaloneAccess access = access();
    SignIn admin = access.signIn("admin", "admin-pw", request("127.0.0.1", null));
    SignIn user = access.signIn("jane", "jane-pw", request("127.0.0.1", null));
    assertEquals(SignIn.Outcome.ACCEPTED, admin.outcome());
    assertTrue(admin.admin());
    assertFalse(user.admin());
    Caller a = access.check(withSession(admin));
    assertEquals(Access.ADMIN, a.access());
    assertEquals("admin", a.name());
    assertEquals(admin.csrf(), a.csrf());
    assertEquals(Access.USER, access.check(withSession(user)).access());
    assertEquals(Access.ANONYMOUS, access.check(request("127.0.0.1", null)).access());
    assertEquals(
        Access.ANONYMOUS, access.check(request("127.0.0.1", "OWLYSESSION=forged")).access());
    assertNotEquals(admin.csrf(), user.csrf());
  }

  @Test
  void shouldExpireSessionsAfterTheirTimeToLive() {
    StandaloneAccess access = access();
    SignIn admin = access.signIn("admin", "admin-pw", request("127.0.0.1", null));
    now.addAndGet(Duration.ofHours(8).toMillis() - 1);
    assertEquals(Access.ADMIN, access.check(withSession(admin)).access());
    now.addAndGet(1);
    assertEquals(Access.ANONYMOUS, access.check(withSession(admin)).access());
    assertEquals(0, access.sessionCount());
  }

  @Test
  void shouldReplaceTheBrowsersOldSessionOnANewSignIn() {
    StandaloneAccess access = access();
    SignIn first = access.signIn("jane", "jane-pw", request("127.0.0.1", null));
    SignIn second = access.signIn("admin", "admin-pw", withSession(first));
    assertEquals(Access.ANONYMOUS, access.check(withSession(first)).access());
    assertEquals(Access.ADMIN, access.check(withSession(second)).access());
    assertEquals(1, access.sessionCount());
  }

  @Test
  void shouldLimitAnAccountOnlyFromTheAddressThatGuessed() {
    StandaloneAccess access = access();
    for (int i = 0; i < 3; i++) {
      assertEquals(
          SignIn.Outcome.REFUSED,
          access.signIn("admin", "guess-" + i, request("10.0.0.1", null)).outcome());
    }
    SignIn limited = access.signIn("admin", "admin-pw", request("10.0.0.1", null));
    assertEquals(SignIn.Outcome.RATE_LIMITED, limited.outcome(), "even with the right password");
    assertTrue(limited.retryAfterSeconds() >= 1 && limited.retryAfterSeconds() <= 60);
    assertEquals(
        SignIn.Outcome.ACCEPTED,
        access.signIn("admin", "admin-pw", request("10.0.0.9", null)).outcome(),
        "the guesses from one address do not lock the account out of the others");
    // A backoff, not a lockout: one more try after a fifth of the window (3 a minute).
    now.addAndGet(Duration.ofSeconds(20).toMillis());
    assertEquals(
        SignIn.Outcome.ACCEPTED,
        access.signIn("admin", "admin-pw", request("10.0.0.1", null)).outcome());
  }

  @Test
  void shouldLimitADistributedGuessButNotTheAccountsOwnAddress() {
    StandaloneAccess access =
        StandaloneAccess.builder("admin", "admin-pw")
            .withClock(now::get)
            .withFailureLimit(3, 5, Duration.ofMinutes(1))
            .withAccountFailureLimit(10, Duration.ofMinutes(5))
            .build();
    assertEquals(
        SignIn.Outcome.ACCEPTED,
        access.signIn("admin", "admin-pw", request("198.51.100.7", null)).outcome());
    for (int i = 0; i < 40; i++) {
      access.signIn("admin", "guess-" + i, request("203.0.113." + i, null));
    }
    assertEquals(
        SignIn.Outcome.RATE_LIMITED,
        access.signIn("admin", "admin-pw", request("203.0.113.200", null)).outcome(),
        "a fresh address waits while guesses come from everywhere");
    assertEquals(
        SignIn.Outcome.ACCEPTED,
        access.signIn("admin", "admin-pw", request("198.51.100.7", null)).outcome(),
        "the administrator's own address still signs in");
  }

  @Test
  void shouldGroupIpv6AddressesByTheirSlash64() {
    assertEquals(
        StandaloneAccess.addressKey("2001:db8:1:2::1"),
        StandaloneAccess.addressKey("2001:db8:1:2:ffff::9"));
    assertNotEquals(
        StandaloneAccess.addressKey("2001:db8:1:2::1"),
        StandaloneAccess.addressKey("2001:db8:1:3::1"));
    assertEquals("192.0.2.1", StandaloneAccess.addressKey("192.0.2.1"));
    StandaloneAccess access = access();
    for (int i = 0; i < 5; i++) {
      access.signIn("nobody-" + i, "x", request("2001:db8:1:2::" + (i + 1), null));
    }
    assertEquals(
        SignIn.Outcome.RATE_LIMITED,
        access.signIn("admin", "admin-pw", request("2001:db8:1:2::abcd", null)).outcome());
  }

  @Test
  void shouldNeverLetAnotherAccountsSignInsEndAnAdministratorsSession() {
    StandaloneAccess access = access();
    SignIn admin = access.signIn("admin", "admin-pw", request("127.0.0.1", null));
    for (int i = 0; i < 10_050; i++) {
      assertEquals(
          SignIn.Outcome.ACCEPTED,
          access.signIn("jane", "jane-pw", request("127.0.0.2", null)).outcome());
    }
    assertEquals(Access.ADMIN, access.check(withSession(admin)).access());
    assertEquals(1 + StandaloneAccess.MAX_SESSIONS_PER_ACCOUNT, access.sessionCount());
  }

  @Test
  void shouldRateLimitFailedSignInsPerClientAddress() {
    StandaloneAccess access = access();
    for (int i = 0; i < 5; i++) {
      access.signIn("user-" + i, "x", request("192.0.2.1", null));
    }
    assertEquals(
        SignIn.Outcome.RATE_LIMITED,
        access.signIn("admin", "admin-pw", request("192.0.2.1", null)).outcome());
    assertEquals(
        SignIn.Outcome.ACCEPTED,
        access.signIn("admin", "admin-pw", request("192.0.2.2", null)).outcome());
  }

  @Test
  void shouldNeverShowCredentialsInToString() {
    StandaloneAccess access = access();
    SignIn s = access.signIn("admin", "admin-pw", request("127.0.0.1", null));
    assertFalse(access.toString().contains("admin-pw"));
    assertFalse(s.toString().contains(s.sessionId()));
    assertFalse(s.toString().contains(s.csrf()));
    assertFalse(access.check(withSession(s)).toString().contains(s.csrf()));
  }
}
