package dev.owly.analytics.bench;

import dev.owly.analytics.spi.Row;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The baseline of the race: what a plugin author would write in plain Java instead of the core to
 * produce the same wire format v1 body for the same stored rows (docs/brief.md): StringBuilder
 * JSON, {@link Base64}, {@link MessageDigest} SHA-1, and RFC 6287 OCRA {@code
 * OCRA-1:HOTP-SHA1-6:QH40-T30S} with {@link Mac}. No filter, no storage, no ledger: the encoding
 * alone. {@code PlainJavaV1Test} checks it byte for byte against the golden vectors.
 */
public final class PlainJavaV1 {
  private static final String SUITE = "OCRA-1:HOTP-SHA1-6:QH40-T30S";
  private static final HexFormat HEX_UPPER = HexFormat.of().withUpperCase();

  private PlainJavaV1() {}

  /** The body of one batch: rows ascending by id, its nonce, the secret and the send time. */
  public static String body(List<Row> rows, long nonce, byte[] secret, long atSeconds) {
    StringBuilder json = new StringBuilder(rows.size() * 260 + 16).append("{\"dataRows\":[");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"ID\":\"").append(r.id()).append('"');
      field(json, "ProductTenant", r.data().tenant());
      field(json, "Name", r.data().name());
      field(json, "ProductVersion", r.data().productVersion());
      field(json, "UpdateDate", date(r.data().recordedAt()));
      field(json, "AppVersion", r.data().appVersion());
      if (!r.data().attributes().isEmpty()) {
        // Stored as the canonical JSON object (keys sorted) when the event has attributes.
        json.append(",\"Attributes\":").append(r.data().attributes());
      }
      json.append('}');
    }
    json.append("]}");
    String data =
        Base64.getEncoder().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    String nonceText = Long.toUnsignedString(nonce);
    String hash = contentHash(nonceText, data);
    return "{\"dataEncoded\":\""
        + data
        + "\",\"nonce\":\""
        + nonceText
        + "\",\"contentHash\":\""
        + hash
        + "\",\"otp\":\""
        + otp(secret, hash, atSeconds / 30)
        + "\"}";
  }

  private static void field(StringBuilder json, String key, String value) {
    json.append(",\"").append(key).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }

  private static String date(long unixSeconds) {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(unixSeconds));
  }

  static String contentHash(String nonce, String dataEncoded) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(nonce.getBytes(StandardCharsets.US_ASCII));
      sha1.update((byte) ':');
      sha1.update(dataEncoded.getBytes(StandardCharsets.US_ASCII));
      return HEX_UPPER.formatHex(sha1.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 6287: suite, 0x00, Q (hex, right-padded to 128 bytes), T (8 bytes); HOTP truncation. */
  static String otp(byte[] secret, String questionHex, long timeStep) {
    byte[] suite = SUITE.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer input = ByteBuffer.allocate(suite.length + 1 + 128 + 8);
    input.put(suite).put((byte) 0).put(HexFormat.of().parseHex(questionHex));
    input.position(suite.length + 1 + 128);
    input.putLong(timeStep);
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      byte[] h = mac.doFinal(input.array());
      int off = h[h.length - 1] & 0xF;
      int bin =
          (h[off] & 0x7F) << 24
              | (h[off + 1] & 0xFF) << 16
              | (h[off + 2] & 0xFF) << 8
              | (h[off + 3] & 0xFF);
      return String.format("%06d", bin % 1_000_000);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
