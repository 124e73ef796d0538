package org.example.lb.dns.health;

import java.util.Map;
import java.util.Optional;

/**
 * Every monitor's state at one moment, and the resources an admin_state line forces: immutable, published whole by
 * {@link HealthTable} after each change.
 *
 * @param monitors by name ({@code ADDRESS/SERVICE_TYPE}), in the order they were first configured
 * @param forcedResources resource key ({@code multifo/www}) → the state forced on every address of the resource
 * @param version increases with each change
 */
public record HealthSnapshot(Map<String, MonitorStatus> monitors, Map<String, HealthState> forcedResources,
    long version) {
  public static final HealthSnapshot EMPTY = new HealthSnapshot(Map.of(), Map.of(), 0);

  public HealthSnapshot {
    monitors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(monitors));
    forcedResources = Map.copyOf(forcedResources);
  }

  /** The state resources see for a monitor: UP with no TTL limit for one not (yet) monitored. */
  public HealthState stateOf(String monitor) {
    MonitorStatus s = monitors.get(monitor);
    return s == null ? HealthState.UP : s.effective();
  }

  /** The state forced on a whole resource, if any. */
  public Optional<HealthState> forcedResource(String key) {
    return Optional.ofNullable(forcedResources.get(key));
  }
}
