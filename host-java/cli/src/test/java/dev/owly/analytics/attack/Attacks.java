package dev.owly.analytics.attack;

import dev.owly.analytics.Text;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The attacks of issue 8 on a running admin server and collector (loopback only), each bounded in
 * count and time, each returning what it measured. {@link AttackIT} asserts on them against the
 * real {@code owly.jar}; {@link #main} prints them for any running server (the numbers before and
 * after a change).
 */
final class Attacks {
  private Attacks() {}

  static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

  // ------------------------------------------------------------------------------------------
  // Slow clients

  /** What normal requests got while slow clients held connections. */
  record Slow(
      int slowSockets,
      int asked,
      int answered,
      long slowestAnswerMs,
      int dripping,
      int droppedWhileDripping,
      int closedByServer) {
    @Override
    public String toString() {
      return answered
          + "/"
          + asked
          + " normal requests answered within 2 s while "
          + slowSockets
          + " slow connections were open (slowest "
          + slowestAnswerMs
          + " ms); "
          + droppedWhileDripping
          + "/"
          + dripping
          + " connections dripping a head byte a second closed by the server during the window; "
          + closedByServer
          + "/"
          + slowSockets
          + " slow connections closed by the server within 15 s";
    }
  }

  /**
   * Opens {@code perKind} connections of each kind — partial request line, unfinished headers,
   * {@code Content-Length: 99999999} with no body, a short body — dripping a byte a second into the
   * first two, then sends {@code normal} requests one after another for {@code windowMs} (each on a
   * fresh connection, 2 s to answer).
   */
  static Slow slowClients(URI target, String postPath, int perKind, long windowMs, Normal normal)
      throws Exception {
    List<RawHttp> slow = new ArrayList<>();
    List<Integer> kinds = new ArrayList<>();
    String host = "Host: " + target.getHost() + ":" + target.getPort() + "\r\n";
    for (int k = 0; k < 4; k++) {
      for (int i = 0; i < perKind; i++) {
        RawHttp c = RawHttp.connect(null, target, 15_000);
        switch (k) {
          case 0 -> c.write("GET /owly/api/stat");
          case 1 -> c.write("GET /owly/api/status HTTP/1.1\r\n" + host + "X-Slow: a");
          case 2 ->
              c.write(
                  "POST "
                      + postPath
                      + " HTTP/1.1\r\n"
                      + host
                      + "Content-Type: application/json\r\nContent-Length: 99999999\r\n\r\n");
          default ->
              c.write(
                  "POST "
                      + postPath
                      + " HTTP/1.1\r\n"
                      + host
                      + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":");
        }
        slow.add(c);
        kinds.add(k);
      }
    }
    int asked = 0;
    int answered = 0;
    long slowest = 0;
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(windowMs);
    long nextDrip = System.nanoTime();
    boolean[] dropped = new boolean[slow.size()];
    while (System.nanoTime() < end) {
      if (System.nanoTime() >= nextDrip) {
        for (int i = 0; i < slow.size(); i++) {
          try {
            if (kinds.get(i) <= 1 && !dropped[i]) {
              slow.get(i).write("u");
            } else if (kinds.get(i) == 2) {
              slow.get(i).write(" ");
            }
          } catch (IOException e) {
            dropped[i] = true;
          }
        }
        nextDrip = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      }
      asked++;
      long t0 = System.nanoTime();
      try (RawHttp c = RawHttp.connect(null, target, 2_000)) {
        int status = normal.send(c).status();
        if (status > 0) {
          answered++;
          slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
      } catch (IOException e) {
        // not answered within 2 s
      }
      Thread.sleep(100);
    }
    int closed = 0;
    ExecutorService pool = Executors.newFixedThreadPool(slow.size());
    try {
      List<Future<Boolean>> checks = new ArrayList<>();
      for (RawHttp c : slow) {
        checks.add(pool.submit(c::closedByServer));
      }
      for (Future<Boolean> f : checks) {
        closed += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
    } finally {
      pool.shutdownNow();
      for (RawHttp c : slow) {
        c.close();
      }
    }
    int dripping = 0;
    int droppedWhileDripping = 0;
    for (int i = 0; i < slow.size(); i++) {
      if (kinds.get(i) <= 1) {
        dripping++;
        droppedWhileDripping += dropped[i] ? 1 : 0;
      }
    }
    return new Slow(slow.size(), asked, answered, slowest, dripping, droppedWhileDripping, closed);
  }

  /** A normal request on a fresh connection. */
  @FunctionalInterface
  interface Normal {
    RawHttp.Answer send(RawHttp c) throws IOException;
  }

  // ------------------------------------------------------------------------------------------
  // Sign-in

  static String credentials(String user, String password) {
    return "{\"username\":"
        + Text.jsonQuote(user)
        + ",\"password\":"
        + Text.jsonQuote(password)
        + "}";
  }

  /** The i-th flood address, 127.0.1.1 onwards (never .0 or .255). */
  static InetAddress floodAddress(int i) {
    return RawHttp.loopback(256 * (1 + i / 250) + 1 + i % 250);
  }

  static int signIn(RawHttp c, String user, String password) throws IOException {
    return c.send("POST", "/owly/api/session", JSON, credentials(user, password)).status();
  }

  /** How the probes after a flood were answered. */
  record Flood(int flooded, int flood429, int probes, int probe429, int probe401) {
    @Override
    public String toString() {
      return flooded
          + " failed sign-ins with distinct names ("
          + flood429
          + " of them 429), then "
          + probes
          + " wrong admin passwords from a fresh address: "
          + probe429
          + " answered 429, "
          + probe401
          + " answered 401";
    }
  }

  /**
   * {@code addresses × perAddress} failed sign-ins with distinct user names, then {@code probes}
   * wrong passwords for {@code admin} from a fresh address.
   */
  static Flood floodThenProbe(URI target, String admin, int addresses, int perAddress, int probes)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Integer>> parts = new ArrayList<>();
    for (int a = 0; a < addresses; a++) {
      int address = a;
      parts.add(
          pool.submit(
              () -> {
                int limited = 0;
                for (int i = 0; i < perAddress; i++) {
                  // A connection per attempt, as a flood from many clients comes in.
                  try (RawHttp c = RawHttp.connect(floodAddress(address), target, 10_000)) {
                    int status = signIn(c, "flood-" + address + "-" + i, "wrong-password");
                    limited += status == 429 ? 1 : 0;
                  }
                }
                return limited;
              }));
    }
    int flood429 = 0;
    for (Future<Integer> f : parts) {
      flood429 += f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    int probe429 = 0;
    int probe401 = 0;
    try (RawHttp c = RawHttp.connect(RawHttp.loopback(9 * 256 + 1), target, 10_000)) {
      for (int i = 0; i < probes; i++) {
        int status = signIn(c, admin, "not-the-password-" + i);
        probe429 += status == 429 ? 1 : 0;
        probe401 += status == 401 ? 1 : 0;
      }
    }
    return new Flood(addresses * perAddress, flood429, probes, probe429, probe401);
  }

  /** 5 wrong passwords from one address, then the right one from another: its status. */
  static int lockout(URI target, String admin, String password) throws IOException {
    try (RawHttp a = RawHttp.connect(RawHttp.loopback(10 * 256 + 1), target, 10_000)) {
      for (int i = 0; i < 5; i++) {
        signIn(a, admin, "wrong-" + i);
      }
    }
    try (RawHttp b = RawHttp.connect(RawHttp.loopback(10 * 256 + 2), target, 10_000)) {
      return signIn(b, admin, password);
    }
  }

  /** The right password from the admin's own address and from a fresh one, after a flood. */
  record OwnContext(int attempts, int checked, int own, int fresh) {
    @Override
    public String toString() {
      return attempts
          + " wrong admin passwords from 100 addresses ("
          + checked
          + " checked, the rest 429), then the right one from the admin's own address: "
          + own
          + ", from a fresh address: "
          + fresh;
    }
  }

  /**
   * The admin signs in from its own address; 100 other addresses send 5 wrong admin passwords each;
   * then the right password from its own address and from a fresh one.
   */
  static OwnContext ownContext(URI target, String admin, String password) throws IOException {
    InetAddress own = RawHttp.loopback(12 * 256 + 1);
    try (RawHttp c = RawHttp.connect(own, target, 10_000)) {
      if (signIn(c, admin, password) != 200) {
        throw new IllegalStateException("the admin could not sign in");
      }
    }
    int checked = 0;
    for (int a = 0; a < 100; a++) {
      try (RawHttp c = RawHttp.connect(RawHttp.loopback(13 * 256 + 1 + a), target, 10_000)) {
        for (int i = 0; i < 5; i++) {
          checked += signIn(c, admin, "guess-" + a + "-" + i) == 401 ? 1 : 0;
        }
      }
    }
    int fromOwn;
    try (RawHttp c = RawHttp.connect(own, target, 10_000)) {
      fromOwn = signIn(c, admin, password);
    }
    int fromFresh;
    try (RawHttp c = RawHttp.connect(RawHttp.loopback(12 * 256 + 2), target, 10_000)) {
      fromFresh = signIn(c, admin, password);
    }
    return new OwnContext(500, checked, fromOwn, fromFresh);
  }

  /** The admin signs in, then {@code n} non-admin sign-ins: the admin's session's next status. */
  static int adminSessionAfter(
      URI target, String admin, String password, String user, String userPassword, int n)
      throws IOException {
    String cookie;
    try (RawHttp c = RawHttp.connect(RawHttp.loopback(11 * 256 + 1), target, 10_000)) {
      RawHttp.Answer a = c.send("POST", "/owly/api/session", JSON, credentials(admin, password));
      if (a.status() != 200) {
        throw new IllegalStateException("the admin could not sign in: " + a.status());
      }
      cookie = a.header("Set-Cookie").split(";", 2)[0];
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> parts = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int share = n / 4 + (t < n % 4 ? 1 : 0);
      int from = 11 * 256 + 2 + t;
      parts.add(
          pool.submit(
              () -> {
                for (int i = 0; i < share; i++) {
                  try (RawHttp c = RawHttp.connect(RawHttp.loopback(from), target, 10_000)) {
                    if (signIn(c, user, userPassword) != 200) {
                      throw new IllegalStateException("a non-admin sign-in failed");
                    }
                  }
                }
                return null;
              }));
    }
    try {
      for (Future<?> f : parts) {
        f.get(300, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IOException("the non-admin sign-ins did not complete", e);
    } finally {
      pool.shutdownNow();
    }
    try (RawHttp c = RawHttp.connect(RawHttp.loopback(11 * 256 + 1), target, 10_000)) {
      return c.send("GET", "/owly/api/status", Map.of("Cookie", cookie), null).status();
    }
  }

  /** A sign-in under {@code Host: rebind.example} with a matching Origin: its status. */
  static int rebind(URI target, String admin, String password) throws IOException {
    try (RawHttp c = RawHttp.connect(null, target, 10_000)) {
      return c.send(
              "POST",
              "/owly/api/session",
              Map.of(
                  "Host",
                  "rebind.example",
                  "Origin",
                  "http://rebind.example",
                  "Content-Type",
                  "application/json"),
              credentials(admin, password))
          .status();
    }
  }

  // ------------------------------------------------------------------------------------------

  /**
   * {@code Attacks NAME ADMIN_BASE COLLECTOR_URL ADMIN USER}: runs one attack ({@code rebind},
   * {@code admin-slow}, {@code collector-slow}, {@code flood}, {@code lockout}, {@code
   * own-context}, {@code sessions}) against running servers and prints what it measured; the
   * passwords come from {@code OWLY_ADMIN_PASSWORD} and {@code OWLY_USER_PASSWORD}. Each attack
   * wants a fresh server (the limits remember the others).
   */
  public static void main(String[] args) throws Exception {
    URI admin = URI.create(args[1]);
    URI collector = URI.create(args[2]);
    String user = args[3];
    String password = System.getenv("OWLY_ADMIN_PASSWORD");
    String viewer = args[4];
    String viewerPassword = System.getenv("OWLY_USER_PASSWORD");
    Object result =
        switch (args[0]) {
          case "rebind" -> rebind(admin, user, password);
          case "admin-slow" ->
              slowClients(
                  admin,
                  "/owly/api/session",
                  4,
                  14_000,
                  c -> c.send("GET", "/owly/api/status", Map.of(), null));
          case "collector-slow" ->
              slowClients(
                  collector,
                  collector.getPath(),
                  4,
                  14_000,
                  c -> c.send("POST", collector.getPath(), JSON, "{}"));
          case "flood" -> floodThenProbe(admin, user, 480, 20, 40);
          case "lockout" -> lockout(admin, user, password);
          case "own-context" -> ownContext(admin, user, password);
          case "sessions" ->
              adminSessionAfter(admin, user, password, viewer, viewerPassword, 10_050);
          default -> throw new IllegalArgumentException("no such attack");
        };
    System.out.println(args[0] + ": " + result);
  }
}
