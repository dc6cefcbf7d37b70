package dev.owly.analytics.cli;

import dev.owly.analytics.OwlyException;
import dev.owly.analytics.Text;
import dev.owly.analytics.collector.Collector;
import dev.owly.analytics.collector.CollectorStore;
import dev.owly.analytics.collector.PayloadVerifier;
import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.Decoded;
import dev.owly.analytics.core.Engine;
import dev.owly.analytics.core.PayloadException;
import dev.owly.analytics.core.Verified;
import dev.owly.analytics.settings.FixedSettings;
import dev.owly.analytics.settings.Hex;
import dev.owly.analytics.spi.Capabilities;
import dev.owly.analytics.spi.Clock;
import dev.owly.analytics.spi.Entropy;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.TransportException;
import dev.owly.analytics.standalone.DataSources;
import dev.owly.analytics.standalone.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** {@code java -jar owly.jar <command>}: see {@link #USAGE}. */
public final class Main {
  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar owly.jar <command> [options]",
          "",
          "  filter [--engine E]          JSONL events on stdin -> one verdict line per input line",
          "  decode FILE                  take a stored or received payload apart (JSON on stdout)",
          "  verify --secret-file FILE [--at UNIX_SECONDS] FILE",
          "                               check content hash and otp (+-1 step); exit 0 if valid",
          "                               (or the secret, hex, in OWLY_SECRET_HEX)",
          "  collector [--port N] [--data DIR] [--secret-file FILE] [--engine E]",
          "            [--https --keystore FILE --keystore-password-file FILE]",
          "                               run the reference collector on 127.0.0.1 (POST /collect)",
          "                               (or OWLY_COLLECTOR_SECRET_HEX, OWLY_KEYSTORE_PASSWORD)",
          "  demo [--data DIR] [--payload-dir DIR] [--engine E]",
          "       [--keep-running [--port N] [--admin-user NAME] [--admin-password PW]",
          "                       [--user NAME --user-password PW] [--www DIR]",
          "                       [--history DAYS]]",
          "                               record, filter, seal and send to a local collector;",
          "                               --keep-running then serves the admin page on 127.0.0.1;",
          "                               --history records DAYS (1..29) past days for its charts",
          "",
          "engines (E): aot (default), interpreter, graalwasm (JDK 21+: scripts/owly-graalwasm)",
          "exit codes: 0 ok, 1 failed (reason on stderr), 2 bad arguments");

  /** A payload file is at most this big: 512 KiB of dataEncoded plus the envelope. */
  static final int MAX_PAYLOAD_FILE_BYTES = Collector.MAX_BODY_BYTES;

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.in, System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command with this process's environment; returns the exit code. Never throws. */
  public static int run(String[] argv, InputStream in, PrintStream out, PrintStream err) {
    return run(argv, in, out, err, System.getenv());
  }

  /**
   * Runs one command; secrets and passwords come from files or {@code env}, never from {@code
   * argv}. Returns the exit code; never throws.
   */
  public static int run(
      String[] argv, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    List<String> args = Arrays.asList(argv);
    if (args.isEmpty()) {
      err.println(USAGE);
      return 2;
    }
    List<String> rest = args.subList(1, args.size());
    try {
      return switch (args.get(0)) {
        case "filter" -> filter(rest, in, out);
        case "decode" -> decode(rest, out, err);
        case "verify" -> verify(rest, out, err, env);
        case "collector" -> collector(rest, out, err, env);
        case "demo" -> Demo.run(rest, out, err, env);
        case "help", "--help", "-h" -> {
          out.println(USAGE);
          yield 0;
        }
        default -> throw new UsageException("unknown command " + safe(args.get(0)));
      };
    } catch (UsageException e) {
      err.println("owly: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (OwlyException e) {
      // Engine codes are safe to show; other messages may name more than a code.
      String m = e.getMessage();
      err.println(
          "owly: failed: "
              + (m != null && m.startsWith("engine.") ? m : e.getClass().getSimpleName()));
      return 1;
    } catch (RuntimeException | IOException e) {
      err.println("owly: failed: " + e.getClass().getSimpleName());
      return 1;
    }
  }

  /** Echoes an argument only when it is short and plain, so a pasted secret is not repeated. */
  private static String safe(String arg) {
    return arg.length() <= 20 && arg.matches("[A-Za-z0-9_-]*") ? arg : "(not shown)";
  }

  /** Capabilities for the commands that never store or send. */
  static Capabilities offline() {
    return new Capabilities(
        new OfflineStorage(),
        body -> {
          throw new TransportException(TransportException.Kind.NOT_CONFIGURED, "cli.offline");
        },
        Clock.system(),
        Entropy.secure(),
        FixedSettings.builder()
            .withMode(Mode.LOCAL)
            .withServerId("CLI0-FILT-ER00-0000")
            .withProductVersion("0.0.0")
            .withAppVersion("0.0.0")
            .build(),
        (level, code, counts) -> {});
  }

  private static int filter(List<String> rest, InputStream in, PrintStream out) throws IOException {
    Args a = Args.parse(rest, Set.of("--engine"), Set.of());
    if (!a.positional.isEmpty()) {
      throw new UsageException("filter takes no positional arguments");
    }
    try (Core core = Core.builder(offline()).withEngine(a.engine()).withPoolSize(1).build()) {
      new Filter(core::check).run(in, out);
    }
    return 0;
  }

  /** Reads a payload file, bounded and strictly UTF-8; a missing file is a usage error. */
  static String readPayload(String file) throws IOException {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new UsageException("no such file: " + path.getFileName());
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(MAX_PAYLOAD_FILE_BYTES + 1);
    }
    if (bytes.length > MAX_PAYLOAD_FILE_BYTES) {
      throw new PayloadException(PayloadException.Kind.TOO_LARGE, null);
    }
    try {
      return Text.strictUtf8(bytes);
    } catch (CharacterCodingException e) {
      throw new PayloadException(PayloadException.Kind.MALFORMED, "utf8");
    }
  }

  static String reason(PayloadException e) {
    String kind = e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    return e.reason() == null ? kind : kind + ": " + e.reason();
  }

  private static int decode(List<String> rest, PrintStream out, PrintStream err)
      throws IOException {
    Args a = Args.parse(rest, Set.of(), Set.of());
    if (a.positional.size() != 1) {
      throw new UsageException("decode needs exactly one FILE");
    }
    try {
      String body = readPayload(a.positional.get(0));
      try (Core core = Core.builder(offline()).withPoolSize(1).build()) {
        Decoded d = core.decode(body);
        out.println(
            "{\"nonce\":\""
                + Long.toUnsignedString(d.nonce())
                + "\",\"contentHash\":"
                + Text.jsonQuote(d.contentHash())
                + ",\"hashOk\":"
                + d.hashOk()
                + ",\"otp\":"
                + Text.jsonQuote(d.otp())
                + ",\"rowCount\":"
                + d.rowCount()
                + ",\"data\":"
                + d.dataJson()
                + "}");
        if (!d.hashOk()) {
          err.println("owly: hash-mismatch");
          return 1;
        }
        return 0;
      }
    } catch (PayloadException e) {
      err.println("owly: " + reason(e));
      return 1;
    }
  }

  private static int verify(
      List<String> rest, PrintStream out, PrintStream err, Map<String, String> env)
      throws IOException {
    Args a = Args.parse(rest, Set.of("--secret-file", "--secret-hex", "--at"), Set.of());
    Secrets.refuseOnCommandLine(a, "--secret-hex", "--secret-file", "OWLY_SECRET_HEX");
    if (a.positional.size() != 1) {
      throw new UsageException("verify needs exactly one FILE");
    }
    byte[] secret =
        secretHex(
            Secrets.read(a, "--secret-file", "OWLY_SECRET_HEX", env, err).orElse(null),
            "--secret-file / OWLY_SECRET_HEX");
    if (secret == null) {
      throw new UsageException("verify needs --secret-file FILE (or OWLY_SECRET_HEX)");
    }
    long at = a.getLong("--at", Instant.now().getEpochSecond());
    try {
      String body = readPayload(a.positional.get(0));
      try (Core core = Core.builder(offline()).withPoolSize(1).build()) {
        Verified v = core.verify(body, secret, at, 1);
        out.println(
            "{\"valid\":true,\"nonce\":\""
                + Long.toUnsignedString(v.nonce())
                + "\",\"contentHash\":"
                + Text.jsonQuote(v.contentHash())
                + ",\"tenant\":"
                + Text.jsonQuote(v.tenant())
                + ",\"rowCount\":"
                + v.rowCount()
                + ",\"stepOffset\":"
                + v.stepOffset()
                + "}");
        return 0;
      }
    } catch (PayloadException e) {
      err.println("owly: " + reason(e));
      return 1;
    }
  }

  /** The secret as hex (from a file or the environment); null when none was given. */
  static byte[] secretHex(String hex, String source) {
    if (hex == null) {
      return null;
    }
    byte[] secret;
    try {
      secret = Hex.decode(hex);
    } catch (IllegalArgumentException e) {
      throw new UsageException(source + ": the secret is not hex");
    }
    if (secret.length < 20) {
      throw new UsageException(source + ": the secret must be at least 20 bytes (40 hex digits)");
    }
    return secret;
  }

  private static int collector(
      List<String> rest, PrintStream out, PrintStream err, Map<String, String> env)
      throws IOException {
    Args a =
        Args.parse(
            rest,
            Set.of(
                "--port",
                "--data",
                "--secret-file",
                "--secret-hex",
                "--keystore",
                "--keystore-password-file",
                "--keystore-password",
                "--engine"),
            Set.of("--https"));
    Secrets.refuseOnCommandLine(a, "--secret-hex", "--secret-file", "OWLY_COLLECTOR_SECRET_HEX");
    Secrets.refuseOnCommandLine(
        a, "--keystore-password", "--keystore-password-file", "OWLY_KEYSTORE_PASSWORD");
    if (!a.positional.isEmpty()) {
      throw new UsageException("collector takes no positional arguments");
    }
    Engine engine = a.engine();
    int port = a.port("--port");
    Path data = Path.of(a.options.getOrDefault("--data", "owly-collector-data"));
    byte[] secret =
        secretHex(
            Secrets.read(a, "--secret-file", "OWLY_COLLECTOR_SECRET_HEX", env, err).orElse(null),
            "--secret-file / OWLY_COLLECTOR_SECRET_HEX");
    SSLContext tls = null;
    if (a.flag("--https")) {
      if (a.get("--keystore") == null) {
        throw new UsageException("--https needs --keystore");
      }
      String password =
          Secrets.read(a, "--keystore-password-file", "OWLY_KEYSTORE_PASSWORD", env, err)
              .orElse("");
      tls = serverTls(Path.of(a.get("--keystore")), password);
    }
    PrivateFiles.directory(data);
    if (secret == null) {
      secret = new byte[32];
      new java.security.SecureRandom().nextBytes(secret);
      Path file = data.resolve("collector-secret.hex");
      PrivateFiles.write(file, (Hex.encode(secret) + "\n").getBytes(StandardCharsets.US_ASCII));
      err.println("owly: no --secret-file: a new secret was written to " + file + " (mode 0600)");
    }
    var pool = DataSources.h2File(data.resolve("collector"));
    try (Core core = Core.builder(offline()).withEngine(engine).build()) {
      Collector.Builder builder =
          Collector.builder(PayloadVerifier.of(core), new CollectorStore(pool))
              .withAnyTenantSecret(secret)
              .withPort(port);
      if (tls != null) {
        builder.withHttps(tls);
      }
      try (Collector collector = builder.start()) {
        out.println("collector listening on " + collector.uri());
        out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.dispose();
    }
    return 0;
  }

  private static SSLContext serverTls(Path keystore, String password) {
    if (!Files.isRegularFile(keystore)) {
      throw new UsageException("no such keystore: " + keystore.getFileName());
    }
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(in, password.toCharArray());
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new UsageException("cannot read keystore (" + e.getClass().getSimpleName() + ")");
    }
  }
}
