package dev.owly.analytics.spi;

import java.security.SecureRandom;

/** WIT {@code entropy}: cryptographically secure random bytes. */
@FunctionalInterface
public interface Entropy {
  byte[] randomBytes(int len);

  static Entropy secure() {
    SecureRandom random = new SecureRandom();
    return len -> {
      byte[] out = new byte[len];
      random.nextBytes(out);
      return out;
    };
  }
}
