package dev.owly.analytics.abi;

import static dev.owly.analytics.abi.FlatType.I32;
import static dev.owly.analytics.abi.FlatType.I64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Size, alignment and flattening of every WIT type of the world, against values computed by hand
 * from CanonicalABI.md ({@code elem_size}, {@code alignment}, {@code flatten_type}, {@code join}).
 */
class WitTypesLayoutTest {

  static Stream<Arguments> layouts() {
    return Stream.of(
        // type, size, align, flat
        Arguments.of("mode", WitTypes.MODE, 1, 1, List.of(I32)),
        Arguments.of("level", WitTypes.LEVEL, 1, 1, List.of(I32)),
        Arguments.of(
            "new-row",
            WitTypes.NEW_ROW,
            48,
            8,
            List.of(I32, I32, I32, I32, I32, I32, I32, I32, I64, I32, I32)),
        Arguments.of(
            "row",
            WitTypes.ROW,
            56,
            8,
            List.of(I64, I32, I32, I32, I32, I32, I32, I32, I32, I64, I32, I32)),
        Arguments.of(
            "batch", WitTypes.BATCH, 40, 8, List.of(I64, I64, I32, I32, I32, I32, I32, I32)),
        Arguments.of("counter", WitTypes.COUNTER, 16, 8, List.of(I32, I32, I64)),
        Arguments.of("storage-error", WitTypes.STORAGE_ERROR, 12, 4, List.of(I32, I32, I32)),
        Arguments.of(
            "new-batch",
            WitTypes.NEW_BATCH,
            40,
            8,
            List.of(I64, I32, I32, I32, I32, I32, I32, I64)),
        Arguments.of("option<u16>", WitType.option(WitType.U16), 4, 2, List.of(I32, I32)),
        Arguments.of("retry-at", WitTypes.RETRY_AT, 16, 8, List.of(I64, I32, I32)),
        Arguments.of("failure", WitTypes.FAILURE, 12, 4, List.of(I32, I32, I32, I32)),
        // cases: u16 [i32] | retry-at [i64,i32,i32] | failure [i32,i32,i32,i32] → joined
        Arguments.of("settlement", WitTypes.SETTLEMENT, 24, 8, List.of(I32, I64, I32, I32, I32)),
        Arguments.of("response", WitTypes.RESPONSE, 16, 4, List.of(I32, I32, I32, I32)),
        Arguments.of("transport-error", WitTypes.TRANSPORT_ERROR, 12, 4, List.of(I32, I32, I32)),
        Arguments.of("limits", WitTypes.LIMITS, 28, 4, List.of(I32, I32, I32, I32, I32, I32, I32)),
        Arguments.of(
            "config",
            WitTypes.CONFIG,
            64,
            4,
            List.of(
                I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32)),
        Arguments.of("rejection", WitTypes.REJECTION, 16, 4, List.of(I32, I32, I32, I32)),
        Arguments.of(
            "flush-report",
            WitTypes.FLUSH_REPORT,
            40,
            8,
            List.of(I32, I32, I32, I32, I32, I32, I32, I32, I64)),
        Arguments.of(
            "decoded",
            WitTypes.DECODED,
            48,
            8,
            List.of(I64, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32)),
        Arguments.of(
            "verified", WitTypes.VERIFIED, 32, 8, List.of(I64, I32, I32, I32, I32, I32, I32)),
        Arguments.of("int-range", WitTypes.INT_RANGE, 16, 8, List.of(I64, I64)),
        // cases: list [i32,i32] | int-range [i64,i64] | none → [i32, i64, i64]
        Arguments.of("value-kind", WitTypes.VALUE_KIND, 24, 8, List.of(I32, I64, I64)),
        Arguments.of(
            "attribute-spec",
            WitTypes.ATTRIBUTE_SPEC,
            40,
            8,
            List.of(I32, I32, I32, I64, I64, I32, I32)),
        Arguments.of(
            "event-spec",
            WitTypes.EVENT_SPEC,
            36,
            4,
            List.of(I32, I32, I32, I32, I32, I32, I32, I32, I32)),
        Arguments.of(
            "result<u64, storage-error>",
            WitType.result(WitType.U64, WitTypes.STORAGE_ERROR),
            24,
            8,
            List.of(I32, I64, I32, I32)),
        Arguments.of(
            "result<_, storage-error>",
            WitType.result(null, WitTypes.STORAGE_ERROR),
            16,
            4,
            List.of(I32, I32, I32, I32)),
        Arguments.of(
            "result<option<string>, storage-error>",
            WitType.result(WitType.option(WitType.STRING), WitTypes.STORAGE_ERROR),
            16,
            4,
            List.of(I32, I32, I32, I32)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void layoutMatchesTheSpecComputedByHand(
      String name, WitType type, int size, int align, List<FlatType> flat) {
    assertEquals(size, type.size, "size of " + name);
    assertEquals(align, type.align, "alignment of " + name);
    assertEquals(flat, List.of(type.flat()), "flattening of " + name);
  }

  static Stream<Arguments> functions() {
    return Stream.of(
        // function, core params, core results (import side for imports, export side for exports)
        Arguments.of(
            WitTypes.STORAGE_APPEND,
            List.of(I32, I32, I32, I32, I32, I32, I32, I32, I64, I32, I32, I32),
            List.of()),
        Arguments.of(WitTypes.STORAGE_CLAIM, List.of(I32, I64, I64, I32), List.of()),
        Arguments.of(
            WitTypes.STORAGE_SEAL, List.of(I64, I32, I32, I32, I32, I32, I32, I64, I32), List.of()),
        Arguments.of(
            WitTypes.STORAGE_SETTLE, List.of(I64, I64, I32, I64, I32, I32, I32, I32), List.of()),
        Arguments.of(WitTypes.STORAGE_QUARANTINE, List.of(I32, I32, I32, I32, I32), List.of()),
        // request = (body ptr, len, headers ptr, len), then the return pointer
        Arguments.of(WitTypes.TRANSPORT_SEND, List.of(I32, I32, I32, I32, I32), List.of()),
        Arguments.of(WitTypes.TRANSPORT_READY, List.of(I32), List.of()),
        Arguments.of(WitTypes.CLOCK_NOW_MS, List.of(), List.of(I64)),
        Arguments.of(WitTypes.ENTROPY_RANDOM_BYTES, List.of(I32, I32), List.of()),
        Arguments.of(WitTypes.SETTINGS_GET, List.of(I32), List.of()),
        Arguments.of(WitTypes.SETTINGS_MODE, List.of(), List.of(I32)),
        Arguments.of(WitTypes.LOG_EMIT, List.of(I32, I32, I32, I32, I32), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void importsFlattenWithAReturnPointerWhenMoreThanOneResult(
      FuncType f, List<FlatType> params, List<FlatType> results) {
    assertEquals(params, f.importCoreParams());
    assertEquals(results, f.importCoreResults());
  }

  static Stream<Arguments> exports() {
    return Stream.of(
        Arguments.of(WitTypes.RECORDER_RECORD, List.of(I32, I32), List.of(I32)),
        Arguments.of(WitTypes.RECORDER_STATS, List.of(), List.of(I32)),
        Arguments.of(WitTypes.DELIVERY_FLUSH, List.of(), List.of(I32)),
        Arguments.of(WitTypes.INSPECT_VERIFY, List.of(I32, I32, I32, I32, I64, I32), List.of(I32)),
        Arguments.of(WitTypes.INSPECT_CATALOG, List.of(), List.of(I32)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exports")
  void exportsReturnAPointerWhenMoreThanOneResult(
      FuncType f, List<FlatType> params, List<FlatType> results) {
    assertEquals(params, f.exportCoreParams());
    assertEquals(results, f.exportCoreResults());
  }

  @org.junit.jupiter.api.Test
  void moreThanSixteenFlatParamsGoThroughMemory() {
    WitType[] many = new WitType[17];
    java.util.Arrays.fill(many, WitType.U32);
    FuncType f = FuncType.of("x", "y", null, many);
    assertEquals(List.of(I32), f.exportCoreParams());
    assertEquals(List.of(I32), f.importCoreParams());
  }

  @org.junit.jupiter.api.Test
  void discriminantWidensBeyond256Cases() {
    String[] names = new String[257];
    for (int i = 0; i < names.length; i++) {
      names[i] = "c" + i;
    }
    WitType.Variant e = WitType.enumOf(names);
    assertEquals(2, e.discriminantSize);
    assertEquals(2, e.size);
    assertEquals(1, WitTypes.MODE.discriminantSize);
  }
}
