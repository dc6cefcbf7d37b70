package dev.owly.analytics.storage;

import java.util.Optional;

/**
 * What a row of the counter table ({@link Schema#COUNTER_TABLE}) counts; {@link #id()} is the
 * stable value of its {@code KIND} column. Names are never content: event names come from stored
 * (so accepted) rows, rule ids and reasons from the code.
 */
public enum CounterKind {
  /** Events stored, by event name, on the day they were recorded. */
  ACCEPTED("accepted"),
  /** Events delivered, by event name, on the day they were recorded (not the day sent). */
  SENT("sent"),
  /** Events the filter rejected, by rule id, on the day of the rejection. */
  REJECTED("rejected"),
  /** Flush outcomes by metric ({@code flush.sealed}, {@code flush.delivered}, …). */
  FLUSH("flush"),
  /** Rows the storage dropped, by reason (bounded storage). */
  DROPPED("dropped");

  private final String id;

  CounterKind(String id) {
    this.id = id;
  }

  /** The stable id stored in the {@code KIND} column. */
  public String id() {
    return id;
  }

  /** The kind with this id; empty for ids a newer version wrote. */
  public static Optional<CounterKind> of(String id) {
    for (CounterKind k : values()) {
      if (k.id.equals(id)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
