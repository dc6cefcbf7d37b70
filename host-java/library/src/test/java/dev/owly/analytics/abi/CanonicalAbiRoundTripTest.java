package dev.owly.analytics.abi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.owly.analytics.spi.Batch;
import dev.owly.analytics.spi.Config;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.NewRow;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Row;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every world type, stored into and loaded back from a real wasm linear memory, and flattened. */
class CanonicalAbiRoundTripTest {

  static final NewRow ROW =
      new NewRow("owly.export", "BWSN-B5B6-32P4-DDL7", "9.12.15", "0.9.9", 1_739_433_204L, "{}");

  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of(WitTypes.MODE, SpiCodec.mode(Mode.REMOTE)),
        Arguments.of(WitTypes.NEW_ROW, SpiCodec.newRow(ROW)),
        Arguments.of(WitType.list(WitTypes.ROW), SpiCodec.rows(List.of(new Row(7, ROW)))),
        Arguments.of(
            WitType.list(WitTypes.BATCH),
            SpiCodec.batches(List.of(new Batch(1, Long.MAX_VALUE, "ZGF0YQ==", "AB", 3, 2)))),
        Arguments.of(WitTypes.RESPONSE, SpiCodec.response(new Response(429, "120"))),
        Arguments.of(WitTypes.RESPONSE, SpiCodec.response(new Response(200, null))),
        Arguments.of(
            WitTypes.CONFIG,
            SpiCodec.config(
                new Config(
                    Mode.LOCAL,
                    "AAAA-BBBB-CCCC-DDDD",
                    "1",
                    "2",
                    true,
                    30,
                    new Limits(500, 524288, 4096, 100, 300000, 30000, -1)))),
        Arguments.of(
            WitTypes.NEW_BATCH, new Object[] {-1L, "ZA==", "C0FFEE", new long[] {1, 2, 3}, 5L}),
        Arguments.of(WitTypes.SETTLEMENT, new Case(0, 204)),
        Arguments.of(WitTypes.SETTLEMENT, new Case(1, new Object[] {1_000L, Case.some(503)})),
        Arguments.of(WitTypes.SETTLEMENT, new Case(1, new Object[] {-5L, Case.NONE})),
        Arguments.of(
            WitTypes.SETTLEMENT, new Case(2, new Object[] {Case.some(400), "http.client-error"})),
        Arguments.of(WitTypes.STORAGE_ERROR, new Case(1, null)),
        Arguments.of(WitTypes.STORAGE_ERROR, new Case(2, "ünïcødé ✓ 𝄞")),
        Arguments.of(WitTypes.TRANSPORT_ERROR, new Case(2, "tls")),
        Arguments.of(
            WitTypes.FLUSH_REPORT,
            new Object[] {Case.some(new Case(5, null)), 1, 2, 3, 4, 5, 6, 1L << 40}),
        Arguments.of(
            WitTypes.DECODED,
            new Object[] {-2L, "ABC", true, "123456", "{\"dataRows\":[]}", 0, "T"}),
        Arguments.of(WitTypes.VERIFIED, new Object[] {1L, "H", "T", 500, -1}),
        Arguments.of(
            WitType.list(WitTypes.EVENT_SPEC),
            List.of(
                new Object[] {
                  "owly.view.<page>",
                  Case.some(List.of("a", "b")),
                  "p",
                  List.of(
                      new Object[] {"k", new Case(0, List.of("x", "y")), "q"},
                      new Object[] {"n", new Case(1, new Object[] {-1L, Long.MAX_VALUE}), "r"},
                      new Object[] {"b", new Case(2, null), "s"})
                },
                new Object[] {"plain", Case.NONE, "", List.of()})),
        Arguments.of(
            WitType.list(WitTypes.COUNTER), List.<Object>of((Object) new Object[] {"@email", 3L})),
        Arguments.of(WitType.list(WitType.U8), new byte[] {0, 1, (byte) 255}),
        Arguments.of(WitType.result(null, WitTypes.STORAGE_ERROR), Case.ok(null)),
        Arguments.of(WitType.result(WitType.U64, WitTypes.REJECTION), Case.ok(-1L)),
        Arguments.of(
            WitType.result(WitType.U64, WitTypes.REJECTION),
            Case.err(new Object[] {"@email", "attributes.user"})),
        Arguments.of(WitType.BOOL, false),
        Arguments.of(WitType.U16, 65535),
        Arguments.of(WitType.S32, -7),
        Arguments.of(WitType.U32, -1),
        Arguments.of(WitType.STRING, ""));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("values")
  void storeThenLoadGivesTheSameValue(WitType type, Object value) {
    AbiTestGuest guest = new AbiTestGuest();
    int ptr = guest.mem.allocate(type.align, type.size);
    CanonicalAbi.store(guest.mem, value, type, ptr);
    assertDeepEquals(value, CanonicalAbi.load(guest.mem, ptr, type));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("values")
  void lowerFlatThenLiftFlatGivesTheSameValue(WitType type, Object value) {
    AbiTestGuest guest = new AbiTestGuest();
    long[] flat = CanonicalAbi.lowerFlat(guest.mem, value, type);
    assertEquals(type.flat().length, flat.length);
    assertDeepEquals(value, CanonicalAbi.liftFlat(guest.mem, flat, type));
  }

  @org.junit.jupiter.api.Test
  void storeWritesTheDiscriminantAndPayloadAtTheSpecOffsets() {
    AbiTestGuest guest = new AbiTestGuest();
    int ptr = guest.mem.allocate(8, 24);
    CanonicalAbi.store(
        guest.mem,
        new Case(1, new Object[] {0x0102030405060708L, Case.some(503)}),
        WitTypes.SETTLEMENT,
        ptr);
    var m = guest.mem.memory();
    assertEquals(1, m.read(ptr)); // u8 discriminant
    assertEquals(0x0102030405060708L, m.readLong(ptr + 8)); // payload at align_to(1, 8)
    assertEquals(1, m.read(ptr + 16)); // option discriminant
    assertEquals(503, m.readShort(ptr + 18)); // u16 at align_to(1, 2)
  }

  @org.junit.jupiter.api.Test
  void anI32PayloadInAJoinedI64SlotIsZeroExtended() {
    AbiTestGuest guest = new AbiTestGuest();
    long[] flat =
        CanonicalAbi.lowerFlat(
            guest.mem, new Case(2, new Object[] {Case.some(65535), "x"}), WitTypes.SETTLEMENT);
    assertEquals(5, flat.length);
    assertEquals(2, flat[0]);
    assertEquals(1, flat[1]); // option discriminant, in the i64 slot
    assertEquals(65535, flat[2]);
  }

  static void assertDeepEquals(Object expected, Object actual) {
    assertEquals(normalize(expected), normalize(actual));
  }

  private static Object normalize(Object v) {
    if (v instanceof Object[] a) {
      return Arrays.stream(a).map(CanonicalAbiRoundTripTest::normalize).toList();
    }
    if (v instanceof List<?> l) {
      return l.stream().map(CanonicalAbiRoundTripTest::normalize).toList();
    }
    if (v instanceof Case c) {
      return List.of("case", c.index(), String.valueOf(normalize(c.payload())));
    }
    if (v instanceof byte[] b) {
      return "bytes" + Arrays.toString(b);
    }
    if (v instanceof long[] l) {
      return "longs" + Arrays.toString(l);
    }
    return v;
  }

  @org.junit.jupiter.api.Test
  void bytesSurviveUnchanged() {
    AbiTestGuest guest = new AbiTestGuest();
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    long[] flat = CanonicalAbi.lowerFlat(guest.mem, all, WitType.list(WitType.U8));
    assertArrayEquals(
        all, (byte[]) CanonicalAbi.liftFlat(guest.mem, flat, WitType.list(WitType.U8)));
  }
}
