package dev.owly.analytics.collector;

import dev.owly.analytics.core.Decoded;
import dev.owly.analytics.core.PayloadException;
import dev.owly.analytics.core.Verified;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for the core in unit tests: parses the v1 envelope, checks the content hash for real,
 * and accepts an otp equal to {@link #otpFor(byte[])} (not OCRA: the real core's OCRA is covered by
 * the integration tests).
 */
final class FakeVerifier implements PayloadVerifier {
  private static final Pattern ENVELOPE =
      Pattern.compile(
          "\\{\"dataEncoded\":\"([A-Za-z0-9+/=]*)\",\"nonce\":\"(\\d{1,19})\","
              + "\"contentHash\":\"([0-9A-F]{40})\",\"otp\":\"(\\d{6})\"\\}");

  static String otpFor(byte[] secret) {
    return String.format("%06d", Math.floorMod(java.util.Arrays.hashCode(secret), 1_000_000));
  }

  static String sha1Hex(String s) {
    try {
      return HexFormat.of()
          .withUpperCase()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A wire-format body for these rows; {@code rows} are row JSON texts. */
  static String body(long nonce, List<String> rows, byte[] secret) {
    String data = "{\"dataRows\":[" + String.join(",", rows) + "]}";
    String encoded = Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8));
    String hash = sha1Hex(nonce + ":" + encoded);
    return "{\"dataEncoded\":\""
        + encoded
        + "\",\"nonce\":\""
        + nonce
        + "\",\"contentHash\":\""
        + hash
        + "\",\"otp\":\""
        + otpFor(secret)
        + "\"}";
  }

  static String row(long id, String tenant) {
    return "{\"ID\":\""
        + id
        + "\",\"ProductTenant\":\""
        + tenant
        + "\",\"Name\":\"owly.view.settings\",\"ProductVersion\":\"9.12.15\","
        + "\"UpdateDate\":\"2025-02-13T08:06:44Z\",\"AppVersion\":\"0.9.9-test\"}";
  }

  @Override
  public Decoded decode(String body) {
    Matcher m = ENVELOPE.matcher(body);
    if (!m.matches()) {
      throw new PayloadException(PayloadException.Kind.MALFORMED, "json");
    }
    String data;
    try {
      data = new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new PayloadException(PayloadException.Kind.MALFORMED, "base64");
    }
    boolean hashOk = sha1Hex(m.group(2) + ":" + m.group(1)).equals(m.group(3));
    return new Decoded(
        Long.parseLong(m.group(2)),
        m.group(3),
        hashOk,
        m.group(4),
        data,
        DataRows.split(data).size(),
        DataRows.tenant(data).orElse(""));
  }

  @Override
  public Verified verify(String body, byte[] secret, long atSeconds, int driftSteps) {
    Decoded d = decode(body);
    if (!d.hashOk()) {
      throw new PayloadException(PayloadException.Kind.HASH_MISMATCH, null);
    }
    if (!d.otp().equals(otpFor(secret))) {
      throw new PayloadException(PayloadException.Kind.OTP_MISMATCH, null);
    }
    return new Verified(
        d.nonce(), d.contentHash(), DataRows.tenant(d.dataJson()).orElseThrow(), d.rowCount(), 0);
  }
}
