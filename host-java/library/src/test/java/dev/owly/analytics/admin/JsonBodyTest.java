package dev.owly.analytics.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict reader of admin request bodies. */
class JsonBodyTest {
  @Test
  void shouldReadTheBodiesTheApiDocuments() {
    assertEquals(Map.of("mode", "off"), JsonBody.object("{\"mode\":\"off\"}"));
    assertEquals(Map.of("days", 30L), JsonBody.object(" {\n\"days\" : 30 } "));
    assertEquals(Map.of(), JsonBody.object("{}"));
    assertEquals(
        Map.of("username", "j\u00e9\"\n", "password", "p\\w"),
        JsonBody.object("{\"username\":\"j\\u00e9\\\"\\n\",\"password\":\"p\\\\w\"}"));
    assertEquals(
        Map.of("a", List.of(1L, true, JsonBody.NULL, new BigDecimal("1.5e3"))),
        JsonBody.object("{\"a\":[1,true,null,1.5e3]}"));
  }

  @Test
  void shouldRefuseEverythingThatIsNotOneStrictJsonObject() {
    for (String bad :
        List.of(
            "",
            "[]",
            "\"x\"",
            "{",
            "{\"a\":1,}",
            "{\"a\":1}{",
            "{'a':1}",
            "{\"a\":01}",
            "{\"a\":-}",
            "{\"a\":1.}",
            "{\"a\":tru}",
            "{\"a\":\"\u0001\"}",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12\"}",
            "{\"a\":1,\"a\":2}",
            "{\"a\":NaN}",
            "[".repeat(5) + "]".repeat(5),
            "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}")) {
      BadRequestException e =
          assertThrows(BadRequestException.class, () -> JsonBody.object(bad), bad);
      assertEquals("malformed-json", e.code());
    }
  }
}
