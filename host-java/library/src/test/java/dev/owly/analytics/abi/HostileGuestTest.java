package dev.owly.analytics.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Pointers, lengths, bytes and discriminants from the guest are checked before use. */
class HostileGuestTest {
  private final AbiTestGuest guest = new AbiTestGuest();

  private String code(Runnable r) {
    return assertThrows(AbiException.class, r::run).getMessage();
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
    long[] flat = {16, -1};
    assertEquals(
        "abi.out-of-bounds", code(() -> CanonicalAbi.liftFlat(guest.mem, flat, WitType.STRING)));
  }

  @Test
  void aHugeListCountIsRejectedBeforeAnyAllocation() {
    long[] flat = {8, 0x4000_0000L};
    assertEquals(
        "abi.out-of-bounds",
        code(() -> CanonicalAbi.liftFlat(guest.mem, flat, WitType.list(WitTypes.ROW))));
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
  void aLoneSurrogateFromTheHostCannotBeEncoded() {
    assertEquals(
        "abi.invalid-utf16",
        code(() -> CanonicalAbi.lowerFlat(guest.mem, "a\uD800b", WitType.STRING)));
  }
}
