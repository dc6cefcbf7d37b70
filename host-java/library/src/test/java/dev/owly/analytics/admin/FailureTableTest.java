package dev.owly.analytics.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FailureTableTest {
  static final long MINUTE = 60_000;

  @Test
  void shouldAllowTheLimitThenMakeTheNextWaitForTheBucketToDrain() {
    FailureTable t = new FailureTable(10, 5, MINUTE);
    for (int i = 0; i < 5; i++) {
      assertEquals(0, t.retryAfterSeconds("a", 0));
      t.fail("a", 0);
    }
    assertEquals(12, t.retryAfterSeconds("a", 0), "one failure drains in 60 s / 5");
    assertEquals(0, t.retryAfterSeconds("a", 12_000));
    assertEquals(0, t.retryAfterSeconds("b", 0));
  }

  @Test
  void shouldKeepCountingTheBadKeysWhileAFloodOfFreshKeysFillsTheTable() {
    FailureTable t = new FailureTable(1000, 20, MINUTE);
    for (int i = 0; i < 20; i++) {
      t.fail("attacker", 0);
    }
    for (int i = 0; i < 100_000; i++) {
      t.fail("fresh-" + i, i / 100); // 100,000 keys within one second
    }
    assertEquals(1000, t.size(), "bounded");
    assertTrue(t.retryAfterSeconds("attacker", 1000) > 0, "still counted after the flood");
    for (int i = 0; i < 20; i++) {
      t.fail("late", 1000);
    }
    assertTrue(t.retryAfterSeconds("late", 1000) > 0, "a key that arrives in a full table counts");
  }

  @Test
  void shouldForgetAClearedKey() {
    FailureTable t = new FailureTable(10, 1, MINUTE);
    t.fail("a", 0);
    assertTrue(t.retryAfterSeconds("a", 0) > 0);
    t.clear("a");
    assertEquals(0, t.retryAfterSeconds("a", 0));
  }
}
