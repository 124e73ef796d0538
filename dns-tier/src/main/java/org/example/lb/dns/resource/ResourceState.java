package org.example.lb.dns.resource;

import java.util.Locale;

/** How a resource answers, for status and metrics. */
public enum ResourceState {
  /** Every address is UP: every address is answered (simplefo: the primary). */
  UP,
  /** Some address is DOWN and left out (simplefo: the secondary answers for the primary). */
  DEGRADED,
  /**
   * Too few addresses are up (multifo, weighted: under {@code upThresh}; simplefo: both DOWN): every address is used as
   * if UP (simplefo: the primary). gdnsd signals this "resource-level failure" to meta-plugins.
   */
  DOWN;

  /** The worse of two (one per address family). */
  ResourceState worst(ResourceState other) {
    return compareTo(other) >= 0 ? this : other;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
