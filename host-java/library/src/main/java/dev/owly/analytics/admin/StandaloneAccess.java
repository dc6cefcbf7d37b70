package dev.owly.analytics.admin;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.settings.Hex;
import dev.owly.analytics.spi.Clock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 *       anti-CSRF token and expires after {@link Builder#withSessionTtl} (8 h). Each account keeps
 *       at most {@value #MAX_SESSIONS_PER_ACCOUNT} sessions and a new sign-in ends that account's
 *       oldest one: nobody's sign-ins can end another account's session (an administrator's).
 *   <li>Failed sign-ins are counted in leaky buckets that a flood cannot switch off ({@link
 *       FailureTable}: fixed size, the least bad entry gives way): per client address (20 a minute;
 *       IPv6 by /64), per account and address (5 a minute), and per account from every address it
 *       has not signed in from before (50 in 5 minutes). Over a limit, the attempt is refused
 *       without checking the password (429 with the wait): a backoff that lasts seconds, for that
 *       context only. Wrong passwords from elsewhere never lock an account out of an address it
 *       signed in from (its own context), and a few from one address never lock it out of the
 *       others.
 * </ul>
 */
public final class StandaloneAccess implements PermissionCheck {
  /** The session cookie's name. */
  public static final String COOKIE = "OWLYSESSION";

  /** Sessions one account may hold at once; its oldest ends when it signs in once more. */
  static final int MAX_SESSIONS_PER_ACCOUNT = 32;

  /** Entries of each failure table (addresses; account and address pairs). */
  static final int TABLE_CAPACITY = 8192;

  /** Addresses each account remembers as its own context (signed in from there). */
  static final int KNOWN_ADDRESSES_PER_ACCOUNT = 16;

  private final Map<String, Account> accounts;
  private final byte[] dummyDigest;
  private final Duration ttl;
  private final Clock clock;
  private final SecureRandom random;
  private final FailureTable perAddress;
  private final FailureTable perAccountAndAddress;
  private final FailureTable perAccount;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  private static final class Account {
    final String name;
    final byte[] digest;
    final boolean admin;

    /** Session keys, oldest first. */
    final Deque<String> sessions = new ArrayDeque<>();

    /** Addresses it signed in from, least recent first. */
    final Set<String> known = new LinkedHashSet<>();

    Account(String name, byte[] digest, boolean admin) {
      this.name = name;
      this.digest = digest;
      this.admin = admin;
    }
  }

  private record Session(Account account, String csrf, long expiresAtMs) {}

  private StandaloneAccess(Builder b) {
    this.accounts = Map.copyOf(b.accounts);
    this.ttl = b.ttl;
    this.clock = b.clock;
    this.random = b.random;
    long window = b.failureWindow.toMillis();
    this.perAddress = new FailureTable(TABLE_CAPACITY, b.addressFailureLimit, window);
    this.perAccountAndAddress = new FailureTable(TABLE_CAPACITY, b.userFailureLimit, window);
    this.perAccount =
        new FailureTable(
            Math.max(1, accounts.size()), b.accountFailureLimit, b.accountWindow.toMillis());
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
    private int accountFailureLimit = 50;
    private Duration accountWindow = Duration.ofMinutes(5);

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
     * At most {@code perUser} failed sign-ins per account from one client address, and {@code
     * perAddress} per client address (any user names), within {@code window}.
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

    /**
     * At most {@code limit} failed sign-ins per account within {@code window}, counted over every
     * address the account has not signed in from (a distributed guess); its own addresses are
     * limited by {@link #withFailureLimit} only.
     */
    public Builder withAccountFailureLimit(int limit, Duration window) {
      requireNonNull(window, "window");
      if (limit < 1 || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("limit and window must be positive");
      }
      this.accountFailureLimit = limit;
      this.accountWindow = window;
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
      end(key);
      return Caller.anonymous();
    }
    Account a = session.account();
    return new Caller(a.admin ? Access.ADMIN : Access.USER, a.name, session.csrf());
  }

  @Override
  public SignIn signIn(String username, String password, AdminRequest request) {
    requireNonNull(username, "username");
    requireNonNull(password, "password");
    long now = clock.nowMs();
    String address = addressKey(request.remoteAddress());
    Account account = accounts.get(username);
    String pair = account == null ? null : account.name + "\n" + address;
    boolean ownContext = account != null && knows(account, address);
    long wait = perAddress.retryAfterSeconds(address, now);
    if (account != null) {
      wait = Math.max(wait, perAccountAndAddress.retryAfterSeconds(pair, now));
      if (!ownContext) {
        wait = Math.max(wait, perAccount.retryAfterSeconds(account.name, now));
      }
    }
    if (wait > 0) {
      return SignIn.rateLimited(wait);
    }
    byte[] given = sha256(password);
    boolean match = MessageDigest.isEqual(account == null ? dummyDigest : account.digest, given);
    if (account == null || !match) {
      perAddress.fail(address, now);
      if (account != null) {
        perAccountAndAddress.fail(pair, now);
        if (!ownContext) {
          perAccount.fail(account.name, now);
        }
      }
      return SignIn.refused();
    }
    perAccountAndAddress.clear(pair);
    // A new sign-in replaces the session the browser had: no fixation, no orphan.
    signOut(request);
    String id = token();
    String csrf = token();
    start(account, sessionKey(id), new Session(account, csrf, now + ttl.toMillis()), address);
    return SignIn.accepted(id, csrf, account.admin, ttl);
  }

  @Override
  public void signOut(AdminRequest request) {
    request.cookie(COOKIE).ifPresent(id -> end(sessionKey(id)));
  }

  /** Live sessions (for tests and operations; no ids). */
  public int sessionCount() {
    return sessions.size();
  }

  private boolean knows(Account account, String address) {
    synchronized (account) {
      return account.known.contains(address);
    }
  }

  /** Adds a session, ending this account's oldest when it holds its maximum. */
  private void start(Account account, String key, Session session, String address) {
    synchronized (account) {
      account.known.remove(address);
      account.known.add(address);
      if (account.known.size() > KNOWN_ADDRESSES_PER_ACCOUNT) {
        account.known.remove(account.known.iterator().next());
      }
      account.sessions.removeIf(k -> !sessions.containsKey(k));
      while (account.sessions.size() >= MAX_SESSIONS_PER_ACCOUNT) {
        sessions.remove(account.sessions.pollFirst());
      }
      account.sessions.addLast(key);
      sessions.put(key, session);
    }
  }

  private void end(String key) {
    Session s = sessions.remove(key);
    if (s != null) {
      synchronized (s.account()) {
        s.account().sessions.remove(key);
      }
    }
  }

  /**
   * The key a client address is limited by: IPv4 as it is, IPv6 by its /64 (one site holds a whole
   * /64, so single addresses would be free for the asking).
   */
  static String addressKey(String address) {
    if (address == null || address.indexOf(':') < 0) {
      return address == null ? "unknown" : address;
    }
    try {
      byte[] bytes = InetAddress.getByName(address).getAddress();
      if (bytes.length != 16) {
        return address;
      }
      return Hex.encode(Arrays.copyOf(bytes, 8)) + "::/64";
    } catch (UnknownHostException e) {
      return address;
    }
  }

  private String token() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
