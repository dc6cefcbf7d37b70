package dev.owly.analytics.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** Runs after packaging: the shipped jar carries one SBOM covering Java and Rust. */
class SbomIT {
  static final Path JAR = Path.of(System.getProperty("owly.jar", "../target/owly.jar"));

  static String bom() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "target/owly.jar was built");
    try (JarFile jar = new JarFile(JAR.toFile())) {
      ZipEntry entry = jar.getEntry("META-INF/sbom/bom.json");
      assertNotNull(entry, "META-INF/sbom/bom.json is in the jar");
      return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theJarsSbomListsMavenDependencies() throws Exception {
    String bom = bom();
    assertTrue(
        bom.contains("\"bomFormat\" : \"CycloneDX\"")
            || bom.contains("\"bomFormat\": \"CycloneDX\""));
    assertTrue(bom.contains("pkg:maven/com.h2database/h2@"), "h2");
    assertTrue(bom.contains("pkg:maven/org.postgresql/postgresql@"), "postgresql");
  }

  @Test
  void theJarsSbomListsTheRustCratesLinkedIntoTheWasmCore() throws Exception {
    String bom = bom();
    assertTrue(bom.contains("\"purl\": \"pkg:cargo/sha1_smol@"), "sha1_smol");
    assertTrue(bom.contains("\"purl\": \"pkg:cargo/owly-core@"), "owly-core");
    assertTrue(!bom.contains("pkg:cargo/syn@"), "proc-macro-only crates are not linked");
  }

  @Test
  void theJarRunsTheCliAsItsMainClass() throws Exception {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      String main = jar.getManifest().getMainAttributes().getValue("Main-Class");
      assertTrue("dev.owly.analytics.cli.Main".equals(main), String.valueOf(main));
    }
  }
}
