package org.example.lb.dns.resource;

import org.example.lb.dns.health.HealthState;

/**
 * What a resource answers with in one health snapshot: per address family, and the state and TTL gdnsd's plugin
 * would return to its core.
 *
 * @param state for status and metrics
 * @param health DOWN when the resource failed (gdnsd's resource-level failure); the TTL is the least of the monitored
 *     TTLs that decided the answer (both families), before the bound name's limits clamp it
 * @param v4 the IPv4 answer
 * @param v6 the IPv6 answer
 */
public record Selection(ResourceState state, HealthState health, Choice v4, Choice v6) {
  /**
   * What one address family answers with: each plugin's rule applies to each family on its own.
   *
   * @param state how it answers
   * @param health DOWN when the family failed its plugin's threshold; the least TTL of its addresses
   */
  record Family(ResourceState state, HealthState health, Choice choice) {
    /** A family without addresses: NODATA, and no say in the resource's state or TTL. */
    static final Family NONE = new Family(ResourceState.UP, HealthState.UP, Choice.NONE);
  }

  /** A resource's answer from its families': the worse state, DOWN if either is, the lesser TTL (gdnsd's). */
  static Selection of(Family v4, Family v6) {
    return new Selection(v4.state().worst(v6.state()), v4.health().worst(v6.health()), v4.choice(), v6.choice());
  }

  /** The answer for one family: 4 or 6. */
  public Choice family(int family) {
    return family == 4 ? v4 : v6;
  }
}
