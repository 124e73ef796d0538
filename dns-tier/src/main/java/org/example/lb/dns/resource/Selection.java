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
  /** The answer for one family: 4 or 6. */
  public Choice family(int family) {
    return family == 4 ? v4 : v6;
  }
}
