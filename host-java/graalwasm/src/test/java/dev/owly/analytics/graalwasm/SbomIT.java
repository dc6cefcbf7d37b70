package dev.owly.analytics.graalwasm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** Runs after packaging: the module's jar lists exactly what it adds to a host. */
class SbomIT {
  @Test
  void theSbomListsThePolyglotRuntimeTheWasmLanguageAndTheCompiler() throws Exception {
    Path jar = Path.of(System.getProperty("owly.graalwasm.jar", "target/owly-graalwasm.jar"));
    assertTrue(Files.isRegularFile(jar), jar + " was built");
    String bom;
    try (JarFile j = new JarFile(jar.toFile())) {
      ZipEntry e = j.getEntry("META-INF/sbom/bom.json");
      assertNotNull(e, "META-INF/sbom/bom.json is in the jar");
      bom = new String(j.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String purl :
        new String[] {
          "pkg:maven/org.graalvm.polyglot/polyglot@25.0.2",
          "pkg:maven/org.graalvm.truffle/truffle-api@25.0.2",
          "pkg:maven/org.graalvm.truffle/truffle-runtime@25.0.2",
          "pkg:maven/org.graalvm.wasm/wasm-language@25.0.2",
          "pkg:maven/org.graalvm.compiler/compiler@25.0.2",
          "pkg:maven/org.graalvm.truffle/truffle-compiler@25.0.2",
          "pkg:maven/org.graalvm.sdk/word@25.0.2",
        }) {
      assertTrue(bom.contains(purl), purl);
    }
    assertFalse(bom.contains("pkg:maven/dev.owly/owly-analytics@"), "the library is the host's");
  }
}
