package dev.owly.analytics.abi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pointers, lengths, bytes and discriminants from the guest are checked before use. */
class HostileGuestTest {
  private final AbiTestGuest guest = new AbiTestGuest();

  private String code(Runnable r) {
    return assertThrows(AbiException.class, r::run).code();
  }

  @Test
  void aStringPointerOutsideMemoryIsRejected() {
    long[] flat = {0x7fff_0000L, 16};
    assertEquals(
        "abi.out-of-bounds", code(() -> CanonicalAbi.liftFlat(guest.mem, flat, WitType.STRING)));
  }

  @Test
  void aLengthThatRunsPastTheEndIsRejected() {
    long[] flat = {65_530, 100};
    assertEquals(
        "abi.out-of-bounds", code(() -> CanonicalAbi.liftFlat(guest.mem, flat, WitType.STRING)));
  }

  @Test
  void aNegativeLookingLengthIsTreatedAsUnsignedAndRejected() {
    // 0xFFFFFFFF bytes: over the spec's MAX_STRING_BYTE_LENGTH, which is checked first.
    long[] flat = {16, -1};
    assertEquals(
        "abi.string-too-long", code(() -> CanonicalAbi.liftFlat(guest.mem, flat, WitType.STRING)));
  }

  @Test
  void aHugeListCountIsRejectedBeforeAnyAllocation() {
    long[] flat = {8, 0x4000_0000L};
    assertEquals(
        "abi.list-too-long",
        code(() -> CanonicalAbi.liftFlat(guest.mem, flat, WitType.list(WitTypes.ROW))));
  }

  @Test
  void theSpecCapsAreExactlyTwoToThe28MinusOne() {
    assertEquals((1 << 28) - 1, CanonicalAbi.MAX_STRING_BYTES);
    assertEquals((1 << 28) - 1, CanonicalAbi.MAX_LIST_BYTES);
    // 2^28 bytes is one too many, for a string and for a list (2^25 elements of 8 bytes).
    assertEquals(
        "abi.string-too-long",
        code(() -> CanonicalAbi.liftFlat(guest.mem, new long[] {0, 1 << 28}, WitType.STRING)));
    assertEquals(
        "abi.list-too-long",
        code(
            () ->
                CanonicalAbi.liftFlat(
                    guest.mem, new long[] {0, 1 << 25}, WitType.list(WitType.STRING))));
    // One byte below the cap the length is acceptable and the next check (bounds) decides.
    assertEquals(
        "abi.out-of-bounds",
        code(
            () -> CanonicalAbi.liftFlat(guest.mem, new long[] {0, (1 << 28) - 1}, WitType.STRING)));
  }

  /** A list at 0x8000 of {@code n} strings that all point at [0, len). */
  private long[] aliasedStrings(int n, int len) {
    for (int i = 0; i < n; i++) {
      guest.mem.memory().writeI32(0x8000 + 8 * i, 0);
      guest.mem.memory().writeI32(0x8000 + 8 * i + 4, len);
    }
    return new long[] {0x8000, n};
  }

  @Test
  void manyListElementsOnTheSameBytesExhaustTheLiftBudgetNotTheHeap() {
    // 4000 × 30,000 bytes = 120 MB from a 64 KiB memory.
    long[] flat = aliasedStrings(4000, 30_000);
    long before = allocatedBytes();
    long t0 = System.nanoTime();
    assertEquals(
        "abi.lift-budget",
        code(() -> CanonicalAbi.liftFlat(guest.mem, flat, WitType.list(WitType.STRING))));
    assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "refused at once");
    long allocated = allocatedBytes() - before;
    assertTrue(allocated < 4 * guest.mem.byteSize(), "host allocated " + allocated + " bytes");
  }

  @Test
  void aliasingWithinTheGuestMemorySizeIsStillLifted() {
    // Honest guests alias too (a static string used twice); 3 × 16 bytes is far inside the budget.
    guest.mem.memory().write(0, "0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    long[] flat = aliasedStrings(3, 16);
    assertEquals(
        List.of("0123456789abcdef", "0123456789abcdef", "0123456789abcdef"),
        CanonicalAbi.liftFlat(guest.mem, flat, WitType.list(WitType.STRING)));
  }

  @Test
  void theBudgetCountsEveryLiftedByteAcrossTheWholeValue() {
    // Strings of 30,000 bytes below the list at 0x8000: two fit in 64 KiB, three do not.
    assertEquals(
        2,
        ((List<?>)
                CanonicalAbi.liftFlat(
                    guest.mem, aliasedStrings(2, 30_000), WitType.list(WitType.STRING)))
            .size());
    assertEquals(
        "abi.lift-budget",
        code(
            () ->
                CanonicalAbi.liftFlat(
                    guest.mem, aliasedStrings(3, 30_000), WitType.list(WitType.STRING))));
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @Test
  void aMisalignedListIsRejected() {
    long[] flat = {17, 1};
    assertEquals(
        "abi.misaligned",
        code(() -> CanonicalAbi.liftFlat(guest.mem, flat, WitType.list(WitType.U64))));
  }

  @Test
  void invalidUtf8IsAnErrorNotAReplacement() {
    guest.mem.memory().write(100, new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28});
    long[] flat = {100, 4};
    assertEquals(
        "abi.invalid-utf8", code(() -> CanonicalAbi.liftFlat(guest.mem, flat, WitType.STRING)));
  }

  @Test
  void anEncodedSurrogateIsInvalidUtf8() {
    guest.mem.memory().write(100, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
    long[] flat = {100, 3};
    assertEquals(
        "abi.invalid-utf8", code(() -> CanonicalAbi.liftFlat(guest.mem, flat, WitType.STRING)));
  }

  @Test
  void aDiscriminantBeyondTheCasesIsRejected() {
    assertEquals(
        "abi.bad-discriminant",
        code(() -> CanonicalAbi.liftFlat(guest.mem, new long[] {3, 0, 0}, WitTypes.STORAGE_ERROR)));
    guest.mem.memory().writeByte(200, (byte) 9);
    assertEquals(
        "abi.bad-discriminant", code(() -> CanonicalAbi.load(guest.mem, 200, WitTypes.MODE)));
  }

  @Test
  void aResultPointerOutsideMemoryIsRejected() {
    var fn = guest.instance.export("bad-retptr");
    FuncType f = FuncType.of("x", "bad", WitTypes.FLUSH_REPORT);
    assertEquals("abi.out-of-bounds", code(() -> CanonicalAbi.callExport(guest.mem, fn, null, f)));
  }

  @Test
  void anImportReturnPointerOutsideMemoryIsRejectedBeforeTheHostRuns() {
    boolean[] ran = {false};
    assertEquals(
        "abi.out-of-bounds",
        code(
            () ->
                CanonicalAbi.callImport(
                    guest.mem,
                    WitTypes.SETTINGS_SECRET,
                    p -> {
                      ran[0] = true;
                      return new byte[0];
                    },
                    new long[] {0xFFFF_FFF0L})));
    assertEquals(false, ran[0]);
  }

  @Test
  void aHostValueThatDoesNotFitWritesNothingIntoTheGuest() {
    // The second string cannot be encoded: the first must not have been allocated or written.
    byte[] before = guest.mem.memory().readBytes(0, (int) guest.mem.byteSize());
    Object[] row = {"owly.fine", "BWSN-B5B6-32P4-DDL7", "9.12", "0.9", 1L, "a\uD800"};
    assertEquals(
        "abi.invalid-utf16", code(() -> CanonicalAbi.lowerFlat(guest.mem, row, WitTypes.NEW_ROW)));
    assertEquals(
        "abi.invalid-utf16", code(() -> CanonicalAbi.store(guest.mem, row, WitTypes.NEW_ROW, 64)));
    assertArrayEquals(before, guest.mem.memory().readBytes(0, (int) guest.mem.byteSize()));
    // The allocator was never called: the next allocation is the bump allocator's first.
    assertEquals(1024, guest.mem.allocate(1, 1));
  }

  static Stream<Arguments> outOfRange() {
    return Stream.of(
        Arguments.of(WitType.U16, 70_000),
        Arguments.of(WitType.U16, -1),
        Arguments.of(WitType.U8, 256),
        Arguments.of(WitType.U8, -1),
        Arguments.of(WitType.S32, 1L << 31),
        Arguments.of(WitType.S32, -(1L << 31) - 1),
        Arguments.of(WitType.U32, -1L),
        Arguments.of(WitType.U32, 1L << 32),
        Arguments.of(WitType.U64, -1),
        Arguments.of(WitType.option(WitType.U16), Case.some(65_536)),
        Arguments.of(WitTypes.RESPONSE, new Object[] {70_000, Case.NONE}));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("outOfRange")
  void anOutOfRangeIntegerIsRejectedNotTruncated(WitType type, Object value) {
    assertEquals("abi.out-of-range", code(() -> CanonicalAbi.lowerFlat(guest.mem, value, type)));
    assertEquals(
        "abi.out-of-range",
        ((AbiException) assertThrows(AbiException.class, () -> CanonicalAbi.encode(value, type)))
            .code());
  }

  @Test
  void theExtremesOfEveryWidthAreAccepted() {
    assertEquals(65_535L, CanonicalAbi.lowerFlat(guest.mem, 65_535, WitType.U16)[0]);
    assertEquals(255L, CanonicalAbi.lowerFlat(guest.mem, 255, WitType.U8)[0]);
    assertEquals(-1L, CanonicalAbi.lowerFlat(guest.mem, 0xFFFF_FFFFL, WitType.U32)[0]);
    assertEquals(-1L, CanonicalAbi.lowerFlat(guest.mem, -1, WitType.U32)[0]); // bit pattern
    assertEquals(Long.MIN_VALUE, CanonicalAbi.lowerFlat(guest.mem, Long.MIN_VALUE, WitType.S64)[0]);
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(WitType.U32, "7"),
        Arguments.of(WitType.U32, 7.0),
        Arguments.of(WitType.STRING, null),
        Arguments.of(WitType.BOOL, 1),
        Arguments.of(WitTypes.NEW_ROW, new Object[] {"only", "five", "of", "six", 1L}),
        Arguments.of(WitType.list(WitType.U8), List.of(1, 2)),
        Arguments.of(WitTypes.MODE, "remote"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badValues")
  void aValueOfTheWrongJavaTypeIsABadValueNotAClassCastException(WitType type, Object value) {
    assertEquals("abi.bad-value", code(() -> CanonicalAbi.lowerFlat(guest.mem, value, type)));
  }

  @Test
  void aLoneSurrogateFromTheHostCannotBeEncoded() {
    assertEquals(
        "abi.invalid-utf16",
        code(() -> CanonicalAbi.lowerFlat(guest.mem, "a\uD800b", WitType.STRING)));
  }
}
