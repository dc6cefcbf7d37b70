package dev.owly.analytics.api;

import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.storage.TestDatabases;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

/**
 * One node of {@link CountersAcrossProcessesTest}, in its own JVM: {@code CounterNode <node-id>
 * <accepted> <rejected> close|burst <burst>} against {@code OWLY_PG_URL}. {@code close} records and
 * closes; {@code burst} records, waits until the tally has written, prints {@code written}, records
 * {@code burst} more, prints {@code burst} and waits to be killed.
 */
public final class CounterNode {
  private CounterNode() {}

  static final String[] PAGES = {"dashboard", "export", "schedules", "history"};

  public static void main(String[] args) throws Exception {
    String node = args[0];
    int accepted = Integer.parseInt(args[1]);
    int rejected = Integer.parseInt(args[2]);
    boolean burst = args[3].equals("burst");
    DataSource ds = TestDatabases.postgres(System.getenv("OWLY_PG_URL"));
    Owly owly =
        Owly.builder(ds)
            .withNodeId(node)
            .withServerId("TEST-0000-0000-0009")
            .withProductVersion("9.12.15")
            .withAppVersion("0.1.0-test")
            .withSecret(new byte[32])
            .withMode(Mode.LOCAL)
            .withTransport(body -> new Response(200, null))
            .withPoolSize(1)
            .withFlushInterval(Duration.ZERO)
            .withDrainTimeout(Duration.ZERO)
            .withCounterInterval(Duration.ofMillis(200))
            .build();
    record(owly, accepted, rejected);
    if (!burst) {
      owly.close();
      System.out.println("closed");
      return;
    }
    Thread.sleep(1000); // several intervals: everything so far is written
    System.out.println("written");
    System.out.flush();
    record(owly, Integer.parseInt(args[4]), 0);
    System.out.println("burst");
    System.out.flush();
    Thread.sleep(60_000);
    System.exit(3); // never reached when the test kills it
  }

  private static void record(Owly owly, int accepted, int rejected) {
    for (int i = 0; i < accepted; i++) {
      if (!owly.record("owly.view." + PAGES[i % PAGES.length], Map.of()).accepted()) {
        throw new IllegalStateException("not accepted");
      }
    }
    for (int i = 0; i < rejected; i++) {
      if (owly.record("owly.export.failed", Map.of("reason", "jane.doe@example.com")).accepted()) {
        throw new IllegalStateException("accepted");
      }
    }
  }
}
