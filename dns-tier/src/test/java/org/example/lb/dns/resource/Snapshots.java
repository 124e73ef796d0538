package org.example.lb.dns.resource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.example.lb.dns.health.HealthSnapshot;
import org.example.lb.dns.health.HealthState;
import org.example.lb.dns.health.MonitorStatus;

/** Health snapshots written by hand: monitor name → state. */
final class Snapshots {
  private final Map<String, MonitorStatus> monitors = new LinkedHashMap<>();
  private final Map<String, HealthState> forced = new LinkedHashMap<>();

  /** Sets {@code ADDRESS/SERVICE_TYPE}'s real state. */
  Snapshots set(String monitor, HealthState state) {
    monitors.put(monitor, new MonitorStatus(monitor, "static", state, Optional.empty(), "test", Optional.empty(),
        ""));
    return this;
  }

  /** Forces a resource key ({@code multifo/www}). */
  Snapshots force(String resourceKey, HealthState state) {
    forced.put(resourceKey, state);
    return this;
  }

  HealthSnapshot snapshot() {
    return new HealthSnapshot(monitors, forced, 1);
  }
}
