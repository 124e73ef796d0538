package org.example.lb.dns.health;

import java.time.Instant;
import java.util.Optional;

/**
 * What is known of one monitor (an address with a service type).
 *
 * @param name {@code ADDRESS/SERVICE_TYPE}
 * @param plugin http_status, tcp_connect, extfile or static
 * @param real the monitored state and TTL
 * @param forced the state an admin_state line forces, if one matches
 * @param lastCheck what the last check saw ({@code ok HTTP 200 in 2ms}, {@code extfile: DOWN}, {@code static})
 * @param since when the real state last changed (or was first set)
 * @param progress the anti-flap counters ({@code 2/10 failures}, {@code 3/20 successes}), empty when none counted
 */
public record MonitorStatus(String name, String plugin, HealthState real, Optional<HealthState> forced,
    String lastCheck, Optional<Instant> since, String progress) {
  /** The state resources see: the forced one, else the real one. */
  public HealthState effective() {
    return forced.orElse(real);
  }

  /** gdnsd's state text ({@code gdnsdctl states}): UP, DOWN, or UP! / DOWN! when forced. */
  public String stateText() {
    return effective().down() ? (forced.isPresent() ? "DOWN!" : "DOWN") : (forced.isPresent() ? "UP!" : "UP");
  }
}
