package dev.owly.analytics.settings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.spi.Config;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.storage.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcSettingsTest {
  @TempDir Path dir;
  JdbcConnectionPool pool;

  @BeforeEach
  void open() {
    pool = TestDatabases.h2File(dir);
  }

  @AfterEach
  void close() {
    pool.dispose();
  }

  @Test
  void defaultsAreLocalModeNoCollectorAndBuiltInLimits() {
    Config config = JdbcSettings.builder(pool).build().get();
    assertEquals(Mode.LOCAL, config.mode());
    assertFalse(config.collectorConfigured());
    assertEquals(0, config.retentionDays());
    assertEquals(Limits.defaults(), config.limits());
    assertTrue(config.serverId().matches("[A-Z0-9]{4}(-[A-Z0-9]{4}){3}"));
  }

  @Test
  void theModeIsReadOncePerTtlButAnotherNodesSwitchIsSeenWithinIt() throws Exception {
    JdbcSettings here = JdbcSettings.builder(pool).build();
    JdbcSettings otherNode = JdbcSettings.builder(pool).build();
    here.setMode(Mode.REMOTE);
    assertEquals(Mode.REMOTE, here.mode(), "this node's own switch applies at once");
    otherNode.setMode(Mode.OFF);
    assertEquals(Mode.OFF, here.freshMode(), "the send path's read is never cached");
    here.setMode(Mode.REMOTE);
    otherNode.setMode(Mode.LOCAL);
    long t0 = System.nanoTime();
    while (here.mode() != Mode.LOCAL) {
      Thread.sleep(10);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms <= JdbcSettings.MODE_TTL.toMillis() + 100, "seen after " + ms + " ms");
  }

  @Test
  void generatedServerIdIsKept() {
    JdbcSettings settings = JdbcSettings.builder(pool).build();
    assertEquals(settings.get().serverId(), JdbcSettings.builder(pool).build().get().serverId());
  }

  @Test
  void changesApplyOnTheNextReadAcrossInstances() {
    JdbcSettings adminNode = JdbcSettings.builder(pool).build();
    JdbcSettings otherNode =
        JdbcSettings.builder(pool)
            .withServerId("FAKE-FAKE-FAKE-0001")
            .withProductVersion("9.12.15")
            .withAppVersion("0.9.9-test")
            .build();
    adminNode.setMode(Mode.REMOTE);
    adminNode.setCollectorUrl("https://collector.example.invalid/collect");
    adminNode.setRetentionDays(30);
    adminNode.setLimits(new Limits(100, 0, 0, 5, 1000, 2000, 3000));
    Config config = otherNode.get();
    assertEquals(Mode.REMOTE, otherNode.mode());
    assertTrue(config.collectorConfigured());
    assertEquals(30, config.retentionDays());
    assertEquals("FAKE-FAKE-FAKE-0001", config.serverId());
    assertEquals("9.12.15", config.productVersion());
    assertEquals(new Limits(100, 0, 0, 5, 1000, 2000, 3000), config.limits());
    assertEquals(
        Optional.of("https://collector.example.invalid/collect"), otherNode.collectorUrl());
    adminNode.setMode(Mode.OFF);
    adminNode.setCollectorUrl(null);
    assertEquals(Mode.OFF, otherNode.get().mode());
    assertFalse(otherNode.get().collectorConfigured());
  }

  @Test
  void secretIsCreatedOnceWith32RandomBytesAndStoredAsHex() throws Exception {
    JdbcSettings settings = JdbcSettings.builder(pool).build();
    byte[] secret = settings.secret();
    assertEquals(32, secret.length);
    assertArrayEquals(secret, JdbcSettings.builder(pool).build().secret());
    assertFalse(settings.toString().contains(Hex.encode(secret)));
    byte[] chosen = new byte[20];
    settings.setSecret(chosen);
    assertArrayEquals(chosen, settings.secret());
    assertThrows(IllegalArgumentException.class, () -> settings.setSecret(new byte[19]));
  }

  @Test
  void invalidStoredValuesFallBackToSafeDefaults() throws Exception {
    JdbcSettings settings = JdbcSettings.builder(pool).build();
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO \"AO_OWLY_SETTING_AO\" VALUES ('mode', 'REMOTE-ish')");
      s.execute("INSERT INTO \"AO_OWLY_SETTING_AO\" VALUES ('retention.days', '-4')");
      s.execute("INSERT INTO \"AO_OWLY_SETTING_AO\" VALUES ('limits.lease-ms', 'soon')");
    }
    assertEquals(Mode.LOCAL, settings.mode());
    assertEquals(0, settings.get().retentionDays());
    assertEquals(0, settings.get().limits().leaseMs());
  }

  @Test
  void hexRejectsBadInputWithoutEchoingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("zzSECRETzz"));
    assertFalse(e.getMessage().contains("SECRET"));
    assertThrows(IllegalArgumentException.class, () -> Hex.decode("abc"));
    assertArrayEquals(new byte[] {1, (byte) 0xab}, Hex.decode("01AB"));
  }

  @Test
  void fixedSettingsHoldWhatTheyWereGivenAndOnlyTheModeChanges() {
    FixedSettings settings =
        FixedSettings.builder().withMode(Mode.REMOTE).withSecret(new byte[20]).build();
    assertEquals(Mode.REMOTE, settings.mode());
    settings.setMode(Mode.OFF);
    assertEquals(Mode.OFF, settings.get().mode());
    assertArrayEquals(new byte[20], settings.secret());
  }
}
