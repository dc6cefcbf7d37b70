package dev.owly.analytics.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MediaTypesTest {
  @Test
  void shouldAcceptJsonWithAtMostTheUtf8Charset() {
    for (String t :
        List.of(
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            "application/json;charset=UTF-8",
            "application/json ; charset=\"utf-8\"")) {
      assertTrue(MediaTypes.isJson(t), t);
    }
  }

  @Test
  void shouldRefuseEverythingElse() {
    for (String t :
        List.of(
            "",
            "application/jsonp",
            "application/json-seq",
            "application/jsonx; charset=utf-8",
            "text/json",
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/json;",
            "application/json; charset=latin1",
            "application/json; charset=utf-8; boundary=x",
            "application/json; foo=bar",
            "application/json, text/plain",
            "application/json" + " ".repeat(200))) {
      assertFalse(MediaTypes.isJson(t), t);
    }
    assertFalse(MediaTypes.isJson(null));
  }
}
