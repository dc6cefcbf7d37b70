package dev.owly.analytics.core;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.spi.Capabilities;
import dev.owly.analytics.spi.Counter;
import java.time.Duration;
import java.util.List;

/** COMPILE-ONLY STUB of J1's facade (branch j2); replaced by J1's Core.java at merge. */
public final class Core implements AutoCloseable {
  private Core() {}

  public static Builder builder(Capabilities caps) {
    requireNonNull(caps, "caps");
    return new Builder();
  }

  /** Stub builder. */
  public static final class Builder {
    public Builder withEngine(Engine engine) {
      return this;
    }

    public Builder withPoolSize(int n) {
      return this;
    }

    public Builder withCallTimeout(Duration d) {
      return this;
    }

    public Builder withMaxMemoryPages(int pages) {
      return this;
    }

    public Core build() {
      throw new UnsupportedOperationException("stub: J1's core is not merged into j2 yet");
    }
  }

  public Verdict record(String eventJson) {
    throw new UnsupportedOperationException();
  }

  public CheckResult check(String eventJson) {
    throw new UnsupportedOperationException();
  }

  public FlushReport flush() {
    throw new UnsupportedOperationException();
  }

  public java.util.Optional<String> preview() {
    throw new UnsupportedOperationException();
  }

  public Decoded decode(String body) {
    throw new UnsupportedOperationException();
  }

  public Verified verify(String body, byte[] secret, long atSeconds, int driftSteps) {
    throw new UnsupportedOperationException();
  }

  public List<EventSpec> catalog() {
    throw new UnsupportedOperationException();
  }

  public List<Counter> stats() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
