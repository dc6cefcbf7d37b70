package dev.owly.analytics.settings;

import java.util.HexFormat;

/** Strict hex for secrets given on a command line or stored in the settings table. */
public final class Hex {
  private Hex() {}

  /** Decodes an even-length hex string; throws {@link IllegalArgumentException} otherwise. */
  public static byte[] decode(String hex) {
    if (hex == null || hex.isEmpty() || hex.length() % 2 != 0) {
      throw new IllegalArgumentException("hex must have an even, non-zero number of digits");
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not hex"); // never echo the (secret) input
    }
  }

  public static String encode(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
