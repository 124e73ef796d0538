package org.example.lb.l7.runtime;

/**
 * A server weight for {@code set server <b>/<s> weight}: absolute (0-256) or a percentage of the
 * server's initial weight ({@code 50%}).
 */
public record Weight(int value, boolean percent) {
  /** HAProxy's SRV_UWGHT_MAX. */
  public static final int MAX_ABSOLUTE = 256;

  public Weight {
    if (!percent && (value < 0 || value > MAX_ABSOLUTE)) {
      throw new IllegalArgumentException("weight: " + value + " (expected: an integer 0-" + MAX_ABSOLUTE + ")");
    }
    if (percent && value < 0) {
      throw new IllegalArgumentException("weight: " + value + "% (expected: a non-negative percentage)");
    }
  }

  public static Weight absolute(int value) {
    return new Weight(value, false);
  }

  /** A percentage of the initial (configured) weight; HAProxy rounds and caps the result at 256. */
  public static Weight percent(int value) {
    return new Weight(value, true);
  }

  /** The argument as the CLI takes it: {@code 10} or {@code 50%}. */
  @Override
  public String toString() {
    return percent ? value + "%" : Integer.toString(value);
  }
}
