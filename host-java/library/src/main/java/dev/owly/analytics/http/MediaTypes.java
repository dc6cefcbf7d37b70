package dev.owly.analytics.http;

import java.util.Locale;

/** Content types of request bodies, checked the same way by the collector and the admin API. */
public final class MediaTypes {
  private MediaTypes() {}

  /**
   * Whether a {@code Content-Type} is exactly {@code application/json}, optionally with {@code
   * charset=utf-8} (RFC 9110: type, subtype and parameter name and this value are case-insensitive;
   * the value may be quoted). {@code application/jsonp}, {@code application/json-seq}, other
   * parameters or other charsets are not.
   */
  public static boolean isJson(String contentType) {
    if (contentType == null || contentType.length() > 128) {
      return false;
    }
    String[] parts = contentType.split(";", -1);
    if (!parts[0].strip().toLowerCase(Locale.ROOT).equals("application/json")) {
      return false;
    }
    if (parts.length == 1) {
      return true;
    }
    if (parts.length > 2) {
      return false;
    }
    String parameter = parts[1].strip().toLowerCase(Locale.ROOT);
    return parameter.equals("charset=utf-8") || parameter.equals("charset=\"utf-8\"");
  }
}
