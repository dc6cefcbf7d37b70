package dev.owly.analytics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.owly.analytics.bench.PlainJavaV1;
import dev.owly.analytics.spi.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The race's plain-Java baseline ({@link PlainJavaV1}) writes every golden body byte for byte: the
 * golden events are recorded through the real core (which stores the rows and picks batches and
 * nonces, as it does in the race), then each sealed batch's rows, nonce, the secret and the send
 * time go to the baseline, whose body must equal the golden one.
 */
@Tag("core")
class PlainJavaV1Test {
  @TestFactory
  Stream<DynamicTest> thePlainJavaBaselineWritesEveryGoldenBody() throws Exception {
    List<Path> files = GoldenParityTest.goldenFiles();
    assertFalse(files.isEmpty(), "no golden file under " + GoldenParityTest.goldenDir());
    return files.stream()
        .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
  }

  private static void check(Path file) throws Exception {
    Json.Obj g = (Json.Obj) Json.parse(Files.readString(file));
    byte[] secret = HexFormat.of().parseHex(g.str("secret_hex"));
    long sentAt = g.num("clock_ms") / 1000;
    TestCaps caps = GoldenParityTest.session(file, Engine.AOT);
    List<String> plain = new ArrayList<>();
    for (InMemoryStorage.StoredBatch b : caps.storage.batches.values()) {
      List<Row> rows = new ArrayList<>();
      for (long id : b.sealed.rowIds()) {
        rows.add(new Row(id, caps.storage.rows.get(id).data));
      }
      plain.add(PlainJavaV1.body(rows, b.sealed.nonce(), secret, sentAt));
    }
    assertEquals(g.arr("bodies"), plain, file.getFileName() + ": plain Java differs");
  }
}
