package dev.owly.analytics.admin;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.spi.Clock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The standalone host's access control: one configured administrator, optional non-admin users,
 * password sign-in and sessions in memory.
 *
 * <ul>
 *   <li>Passwords are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so neither
 *       the content nor the length of the password leaks through timing; an unknown user is
 *       compared against a dummy digest, so it takes as long as a known one.
 *   <li>Session ids are 32 random bytes ({@link SecureRandom}, base64url); the map is keyed by
 *       their SHA-256, so a lookup does not compare secrets either. Each session has its own random
 *       anti-CSRF token and expires after {@link Builder#withSessionTtl} (8 h).
 *   <li>Failed sign-ins are counted per username and per client address; over the limit (5 per
 *       minute per user, 20 per address), attempts are refused without checking the password.
 * </ul>
 */
public final class StandaloneAccess implements PermissionCheck {
  /** The session cookie's name. */
  public static final String COOKIE = "OWLYSESSION";

  private static final int MAX_SESSIONS = 10_000;
  private static final int MAX_TRACKED_KEYS = 10_000;

  private final Map<String, Account> accounts;
  private final byte[] dummyDigest;
  private final Duration ttl;
  private final Clock clock;
  private final SecureRandom random;
  private final int userFailureLimit;
  private final int addressFailureLimit;
  private final long failureWindowMs;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Deque<Long>> failures = new HashMap<>();

  private record Account(String name, byte[] digest, boolean admin) {}

  private record Session(String name, boolean admin, String csrf, long expiresAtMs) {}

  private StandaloneAccess(Builder b) {
    this.accounts = Map.copyOf(b.accounts);
    this.ttl = b.ttl;
    this.clock = b.clock;
    this.random = b.random;
    this.userFailureLimit = b.userFailureLimit;
    this.addressFailureLimit = b.addressFailureLimit;
    this.failureWindowMs = b.failureWindow.toMillis();
    byte[] dummy = new byte[32];
    random.nextBytes(dummy);
    this.dummyDigest = sha256(Base64.getEncoder().encode(dummy));
  }

  /** Starts a configuration with its administrator's credentials. */
  public static Builder builder(String adminName, String adminPassword) {
    return new Builder(adminName, adminPassword);
  }

  /** Configures a {@link StandaloneAccess}. */
  public static final class Builder {
    private final Map<String, Account> accounts = new HashMap<>();
    private Duration ttl = Duration.ofHours(8);
    private Clock clock = Clock.system();
    private SecureRandom random = new SecureRandom();
    private int userFailureLimit = 5;
    private int addressFailureLimit = 20;
    private Duration failureWindow = Duration.ofMinutes(1);

    private Builder(String adminName, String adminPassword) {
      add(adminName, adminPassword, true);
    }

    /** A signed-in user who is not an administrator (the API answers 403). */
    public Builder withUser(String name, String password) {
      add(name, password, false);
      return this;
    }

    private void add(String name, String password, boolean admin) {
      requireNonNull(name, "name");
      requireNonNull(password, "password");
      if (name.isBlank()) {
        throw new IllegalArgumentException("user name must not be blank");
      }
      if (password.isEmpty()) {
        throw new IllegalArgumentException("password must not be empty");
      }
      if (accounts.containsKey(name)) {
        throw new IllegalArgumentException("user configured twice");
      }
      accounts.put(name, new Account(name, sha256(password), admin));
    }

    public Builder withSessionTtl(Duration ttl) {
      requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl must be positive");
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * At most {@code perUser} failed sign-ins per username and {@code perAddress} per client
     * address within {@code window}.
     */
    public Builder withFailureLimit(int perUser, int perAddress, Duration window) {
      requireNonNull(window, "window");
      if (perUser < 1 || perAddress < 1 || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("limits and window must be positive");
      }
      this.userFailureLimit = perUser;
      this.addressFailureLimit = perAddress;
      this.failureWindow = window;
      return this;
    }

    public Builder withClock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    public Builder withRandom(SecureRandom random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    public StandaloneAccess build() {
      return new StandaloneAccess(this);
    }
  }

  @Override
  public Caller check(AdminRequest request) {
    Optional<String> id = request.cookie(COOKIE);
    if (id.isEmpty() || id.get().isEmpty() || id.get().length() > 128) {
      return Caller.anonymous();
    }
    String key = sessionKey(id.get());
    Session session = sessions.get(key);
    if (session == null) {
      return Caller.anonymous();
    }
    if (clock.nowMs() >= session.expiresAtMs()) {
      sessions.remove(key, session);
      return Caller.anonymous();
    }
    return new Caller(session.admin() ? Access.ADMIN : Access.USER, session.name(), session.csrf());
  }

  @Override
  public SignIn signIn(String username, String password, AdminRequest request) {
    requireNonNull(username, "username");
    requireNonNull(password, "password");
    long now = clock.nowMs();
    String userKey = "user:" + username;
    String addressKey = "address:" + request.remoteAddress();
    long wait =
        Math.max(
            retryAfter(userKey, userFailureLimit, now),
            retryAfter(addressKey, addressFailureLimit, now));
    if (wait > 0) {
      return SignIn.rateLimited(wait);
    }
    Account account = accounts.get(username);
    byte[] given = sha256(password);
    boolean match = MessageDigest.isEqual(account == null ? dummyDigest : account.digest(), given);
    if (account == null || !match) {
      recordFailure(userKey, now);
      recordFailure(addressKey, now);
      return SignIn.refused();
    }
    // A new sign-in replaces the session the browser had: no fixation, no orphan.
    signOut(request);
    String id = token();
    String csrf = token();
    makeRoom(now);
    sessions.put(
        sessionKey(id), new Session(account.name(), account.admin(), csrf, now + ttl.toMillis()));
    return SignIn.accepted(id, csrf, account.admin(), ttl);
  }

  @Override
  public void signOut(AdminRequest request) {
    request.cookie(COOKIE).ifPresent(id -> sessions.remove(sessionKey(id)));
  }

  /** Live sessions (for tests and operations; no ids). */
  public int sessionCount() {
    return sessions.size();
  }

  private String token() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private void makeRoom(long now) {
    if (sessions.size() < MAX_SESSIONS) {
      return;
    }
    sessions.values().removeIf(s -> now >= s.expiresAtMs());
    while (sessions.size() >= MAX_SESSIONS) {
      sessions.entrySet().stream()
          .min((a, b) -> Long.compare(a.getValue().expiresAtMs(), b.getValue().expiresAtMs()))
          .ifPresent(oldest -> sessions.remove(oldest.getKey()));
    }
  }

  private synchronized long retryAfter(String key, int limit, long now) {
    Deque<Long> times = failures.get(key);
    if (times == null) {
      return 0;
    }
    prune(times, now);
    if (times.size() < limit) {
      return 0;
    }
    return Math.max(1, (times.peekFirst() + failureWindowMs - now + 999) / 1000);
  }

  private synchronized void recordFailure(String key, long now) {
    if (failures.size() >= MAX_TRACKED_KEYS) {
      for (Iterator<Deque<Long>> it = failures.values().iterator(); it.hasNext(); ) {
        Deque<Long> times = it.next();
        prune(times, now);
        if (times.isEmpty()) {
          it.remove();
        }
      }
    }
    if (failures.size() >= MAX_TRACKED_KEYS && !failures.containsKey(key)) {
      return; // flooded with distinct keys: the per-address limit still applies to known ones
    }
    failures.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(now);
  }

  private void prune(Deque<Long> times, long now) {
    while (!times.isEmpty() && times.peekFirst() <= now - failureWindowMs) {
      times.pollFirst();
    }
  }

  private static String sessionKey(String id) {
    return Base64.getEncoder().encodeToString(sha256(id));
  }

  static byte[] sha256(String s) {
    return sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** Never shows credentials or sessions. */
  @Override
  public String toString() {
    return "StandaloneAccess[users=" + accounts.size() + ", sessions=" + sessions.size() + "]";
  }
}
