package org.example.lb.dns.resource;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.example.lb.dns.health.HealthSnapshot;
import org.example.lb.dns.health.HealthState;
import org.example.lb.dns.resource.Selection.Family;

/**
 * gdnsd's multifo (gdnsd-plugin-multifo(8)), per address family: every address not DOWN; when fewer than
 * {@code ceil(upThresh × count)} are, every address (and the resource is DOWN). The TTL is the least of all the
 * addresses' TTLs, both families.
 */
record Multifo(String name, List<InetAddress> v4, List<InetAddress> v6, List<String> serviceTypes, double upThresh,
    boolean ignoreHealth) implements Resource {

  @Override
  public ResourceConfig.Plugin plugin() {
    return ResourceConfig.Plugin.MULTIFO;
  }

  @Override
  public List<InetAddress> addresses() {
    return Stream.concat(v4.stream(), v6.stream()).toList();
  }

  @Override
  public Selection select(HealthSnapshot health) {
    return Selection.of(family(health, v4), family(health, v6));
  }

  private Family family(HealthSnapshot health, List<InetAddress> addresses) {
    if (addresses.isEmpty()) {
      return Family.NONE;
    }
    HealthState worst = HealthState.UP;
    List<InetAddress> notDown = new ArrayList<>();
    for (InetAddress a : addresses) {
      HealthState s = Resource.stateOf(health, this, a);
      worst = worst.worst(s);
      if (!s.down()) {
        notDown.add(a);
      }
    }
    int needed = (int) Math.ceil(addresses.size() * upThresh); // gdnsd_uscale_ceil
    if (notDown.size() < needed) {
      return new Family(ResourceState.DOWN, HealthState.down(worst.ttl()), new Choice.Listed(addresses));
    }
    return new Family(notDown.size() == addresses.size() ? ResourceState.UP : ResourceState.DEGRADED,
        HealthState.up(worst.ttl()), new Choice.Listed(ignoreHealth ? addresses : notDown));
  }
}
