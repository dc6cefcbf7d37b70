package dev.owly.analytics.abi;

/**
 * A variant value (also option, result, enum): the case index in declaration order and its payload
 * (null when the case has none).
 */
public record Case(int index, Object payload) {
  public static final Case NONE = new Case(0, null);

  public static Case some(Object value) {
    return new Case(1, value);
  }

  public static Case ok(Object value) {
    return new Case(0, value);
  }

  public static Case err(Object value) {
    return new Case(1, value);
  }

  public boolean isOk() {
    return index == 0;
  }
}
