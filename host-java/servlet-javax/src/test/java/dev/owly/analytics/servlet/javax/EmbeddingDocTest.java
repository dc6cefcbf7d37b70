package dev.owly.analytics.servlet.javax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.admin.AdminFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/embedding.md shows {@link EmbeddingExample}'s code word for word: the code that compiles.
 */
class EmbeddingDocTest {
  static final Pattern REGION = Pattern.compile("(?s)\n *// docs:([a-z-]+)\n(.*?)\n *// end\n");

  static Map<String, String> regions(String source) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = REGION.matcher(source);
    while (m.find()) {
      StringBuilder text = new StringBuilder();
      for (String line :
          m.group(2).strip().isEmpty() ? List.<String>of() : m.group(2).lines().toList()) {
        text.append(line.startsWith("  ") ? line.substring(2) : line).append('\n');
      }
      out.put(m.group(1), text.toString().stripTrailing() + "\n");
    }
    return out;
  }

  @Test
  void shouldShowTheCompiledExampleWordForWord() throws Exception {
    Path here = Path.of("src/test/java/dev/owly/analytics/servlet/javax/EmbeddingExample.java");
    Map<String, String> regions = regions(Files.readString(here));
    assertEquals(
        List.of("component", "permission-check", "servlet"), List.copyOf(regions.keySet()));
    String doc = Files.readString(AdminFixture.repo().resolve("docs/embedding.md"));
    regions.forEach(
        (name, code) ->
            assertTrue(
                doc.contains("```java\n" + code + "```\n"),
                "docs/embedding.md lacks the region " + name + ":\n" + code));
  }
}
