package dev.owly.analytics.collector;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.Decoded;
import dev.owly.analytics.core.PayloadException;
import dev.owly.analytics.core.Verified;

/** The core's {@code inspect} functions the collector needs; faked in unit tests. */
public interface PayloadVerifier {
  /**
   * Decodes a body strictly (hash recomputed, otp not checked); throws {@link PayloadException}.
   */
  Decoded decode(String body);

  /** Fully verifies a body; throws {@link PayloadException}. */
  Verified verify(String body, byte[] secret, long atSeconds, int driftSteps);

  /** The real thing: the core module. */
  static PayloadVerifier of(Core core) {
    requireNonNull(core, "core");
    return new PayloadVerifier() {
      @Override
      public Decoded decode(String body) {
        return core.decode(body);
      }

      @Override
      public Verified verify(String body, byte[] secret, long atSeconds, int driftSteps) {
        return core.verify(body, secret, atSeconds, driftSteps);
      }
    };
  }
}
