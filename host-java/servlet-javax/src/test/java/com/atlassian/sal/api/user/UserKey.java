package com.atlassian.sal.api.user;

import static java.util.Objects.requireNonNull;

/** A stand-in for SAL's {@code UserKey} (see {@link UserManager}). */
public final class UserKey {
  private final String key;

  public UserKey(String key) {
    this.key = requireNonNull(key, "key");
  }

  public String getStringValue() {
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserKey other && other.key.equals(key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public String toString() {
    return key;
  }
}
