package dev.owly.analytics.core;

/**
 * WIT {@code delivery.stop-reason}, in its case order: why a flush sent nothing, or nothing more.
 * {@link #id()} is the stable string id the core logs ({@code mode.off} for {@code mode-off}).
 */
public enum StopReason {
  MODE_OFF("mode.off"),
  MODE_LOCAL("mode.local"),
  COLLECTOR_NONE("collector.none"),
  SECRET_WEAK("secret.weak"),
  STORAGE_UNAVAILABLE("storage.unavailable"),
  MODE_CHANGED("mode.changed"),
  ENTROPY_INVALID("entropy.invalid"),
  TRANSPORT_STOPPED("transport.stopped");

  private final String id;

  StopReason(String id) {
    this.id = id;
  }

  /** The stable string id, e.g. {@code mode.local}. */
  public String id() {
    return id;
  }

  /** The reason of a WIT case index. */
  static StopReason ofCase(int index) {
    StopReason[] all = values();
    if (index < 0 || index >= all.length) {
      throw new IllegalArgumentException("no stop reason " + index);
    }
    return all[index];
  }

  /** The reason with this string id. */
  public static StopReason ofId(String id) {
    for (StopReason r : values()) {
      if (r.id.equals(id)) {
        return r;
      }
    }
    throw new IllegalArgumentException("no stop reason " + id);
  }
}
