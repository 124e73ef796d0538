package org.example.lb.bgp.health;

import java.time.Instant;

/**
 * One state change of a {@link HealthCheck}, as its listener receives it.
 *
 * @param from the previous state
 * @param to the new state
 * @param advertisement what must now be in force (unchanged for INIT, RISING and FALLING)
 * @param advertisementChanged whether {@code advertisement} differs from the one before
 * @param reason why: the check's detail, {@code disable file /etc/lb/disable present}, or {@code stopped}
 * @param at when (the check's clock)
 */
public record StateChange(HealthState from, HealthState to, Advertisement advertisement,
    boolean advertisementChanged, String reason, Instant at) {
  /** {@code UP -> FALLING (exit 1: no backend): announce med 100 (unchanged)}. */
  @Override
  public String toString() {
    return from + " -> " + to + " (" + reason + "): " + advertisement + (advertisementChanged ? "" : " (unchanged)");
  }
}
