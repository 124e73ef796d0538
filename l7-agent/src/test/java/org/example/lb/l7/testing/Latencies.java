package org.example.lb.l7.testing;

import java.util.Arrays;

/** Measured durations in nanoseconds, sorted once, for benchmarks' reports (never for a test's assertion). */
public final class Latencies {
  private final long[] sorted;

  private Latencies(long[] sorted) {
    this.sorted = sorted;
  }

  /** A sorted copy of {@code nanos} (at least one value). */
  public static Latencies of(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("nanos: empty (expected: at least one measurement)");
    }
    long[] copy = nanos.clone();
    Arrays.sort(copy);
    return new Latencies(copy);
  }

  /** The nearest-rank {@code p}-th percentile (0 < p <= 100). */
  public long percentile(double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public long max() {
    return sorted[sorted.length - 1];
  }

  public double mean() {
    return Arrays.stream(sorted).average().orElse(0);
  }
}
