package dev.owly.analytics.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeliveryHealthTest {
  /** A send outcome at a time: success when code is null. */
  record Send(long at, String code) {}

  static DeliveryHealth replay(DeliveryHealth h, List<Send> sends) {
    for (Send s : sends) {
      h = s.code() == null ? h.success(s.at()) : h.failure(s.at(), s.code());
    }
    return h;
  }

  @Test
  void shouldTellFailingSinceTheFirstFailureAfterTheLastSuccess() {
    DeliveryHealth h =
        replay(
            DeliveryHealth.NONE,
            List.of(
                new Send(10, "http.503"),
                new Send(20, null),
                new Send(30, "transport"),
                new Send(40, "http.client-error")));
    assertEquals(20L, h.lastSuccessAt());
    assertEquals(30L, h.failingSince());
    assertEquals(40L, h.lastFailureAt());
    assertEquals("http.client-error", h.lastErrorCode());
    h = h.success(50);
    assertFalse(h.failing());
    assertEquals(50L, h.lastSuccessAt());
  }

  @Test
  void shouldFailFromTheFirstSendWhenNothingEverSucceeded() {
    DeliveryHealth h = replay(DeliveryHealth.NONE, List.of(new Send(5, "transport")));
    assertNull(h.lastSuccessAt());
    assertEquals(5L, h.failingSince());
  }

  /** One node writing its observations in turn: merging in order equals replaying everything. */
  @Test
  void shouldMergeConsecutiveWindowsExactly() {
    Random random = new Random(7);
    for (int run = 0; run < 500; run++) {
      DeliveryHealth whole = DeliveryHealth.NONE;
      DeliveryHealth stored = DeliveryHealth.NONE;
      DeliveryHealth window = DeliveryHealth.NONE;
      long at = 0;
      for (int i = 0; i < 30; i++) {
        at += 1 + random.nextInt(5);
        Send s = new Send(at, random.nextInt(3) == 0 ? null : "http." + (500 + random.nextInt(4)));
        whole = replay(whole, List.of(s));
        window = replay(window, List.of(s));
        if (random.nextInt(4) == 0) {
          stored = stored.merge(window);
          window = DeliveryHealth.NONE;
        }
      }
      assertEquals(whole, stored.merge(window), "run " + run);
    }
  }

  @Test
  void shouldKeepAFailureOfAnotherNodeAfterTheNewestSuccess() {
    DeliveryHealth nodeA = replay(DeliveryHealth.NONE, List.of(new Send(10, "http.503")));
    DeliveryHealth nodeB = replay(DeliveryHealth.NONE, List.of(new Send(20, null)));
    DeliveryHealth nodeC = replay(DeliveryHealth.NONE, List.of(new Send(30, "transport")));
    DeliveryHealth merged = nodeA.merge(nodeB).merge(nodeC);
    assertTrue(merged.failing());
    assertEquals(30L, merged.failingSince());
    assertEquals(20L, merged.lastSuccessAt());
    assertEquals("transport", merged.lastErrorCode());
    assertFalse(nodeA.merge(nodeB).failing(), "B's success came after A's failure");
  }

  @Test
  void shouldBoundTheErrorCode() {
    DeliveryHealth h = DeliveryHealth.NONE.failure(1, "x".repeat(100));
    assertEquals(DeliveryHealth.MAX_CODE_LENGTH, h.lastErrorCode().length());
  }
}
