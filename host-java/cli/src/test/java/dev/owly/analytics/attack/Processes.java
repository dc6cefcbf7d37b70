package dev.owly.analytics.attack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code owly.jar} as its own process (the demo, the collector), as a user runs it. */
final class Processes {
  static final Path JAR = Path.of(System.getProperty("owly.jar", "../target/owly.jar"));

  private Processes() {}

  /** A running {@code owly.jar} and what it printed. */
  static final class Running implements AutoCloseable {
    final Process process;
    final List<String> lines = new ArrayList<>();

    Running(Process process) {
      this.process = process;
    }

    /** Waits (bounded) for a line matching {@code pattern}; its first group. */
    String await(Pattern pattern, long timeoutMs) throws Exception {
      long end = System.currentTimeMillis() + timeoutMs;
      while (System.currentTimeMillis() < end) {
        synchronized (lines) {
          for (String l : lines) {
            Matcher m = pattern.matcher(l);
            if (m.find()) {
              return m.group(1);
            }
          }
        }
        if (!process.isAlive()) {
          break;
        }
        Thread.sleep(100);
      }
      throw new AssertionError("no line like " + pattern + " in:\n" + String.join("\n", lines));
    }

    String output() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }

    /** The command line the kernel shows for it ({@code /proc/PID/cmdline}, as {@code ps}). */
    String commandLine() throws IOException {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Starts {@code java -jar owly.jar ARGS} with {@code env} added to this process's. */
  static Running start(Path dir, Map<String, String> env, String... args) throws IOException {
    assertTrue(Files.isRegularFile(JAR), JAR + " was built");
    List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Running r = new Running(pb.start());
    CompletableFuture.runAsync(
        () -> {
          try (BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(r.process.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = in.readLine()) != null) {
              synchronized (r.lines) {
                r.lines.add(l);
              }
            }
          } catch (IOException e) {
            // the process ended
          }
        });
    return r;
  }

  /** The demo serving its admin page: its base address and its collector's. */
  record Demo(Running run, URI admin, URI collector) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      run.close();
    }
  }

  static Demo demo(Path dir, Map<String, String> env, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("demo", "--keep-running", "--data", "data", "--port", "0", "--user", "viewer"));
    args.addAll(List.of(extra));
    Running r = start(dir, env, args.toArray(String[]::new));
    try {
      String page = r.await(Pattern.compile("^admin page: (http://\\S+)/owly/admin/$"), 120_000);
      String collector =
          r.await(Pattern.compile("^Serving the collector (http://\\S+) until"), 1_000);
      return new Demo(r, URI.create(page), URI.create(collector));
    } catch (AssertionError | Exception e) {
      r.close();
      throw e;
    }
  }
}
