package org.example.lb.lab.bench;

import java.util.Arrays;
import java.util.OptionalDouble;

/** The median of a set of rounds' values. */
public final class Median {
  private Median() {}

  /** The middle value (the mean of the middle two for an even count); empty for no values. */
  public static OptionalDouble of(double... values) {
    if (values.length == 0) {
      return OptionalDouble.empty();
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return OptionalDouble.of(n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
  }
}
