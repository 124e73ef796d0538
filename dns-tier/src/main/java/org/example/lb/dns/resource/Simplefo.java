package org.example.lb.dns.resource;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.example.lb.common.config.Validation;
import org.example.lb.dns.health.HealthSnapshot;
import org.example.lb.dns.health.HealthState;
import org.example.lb.dns.resource.Selection.Family;

/**
 * gdnsd's simplefo (gdnsd-plugin-simplefo(8)), per address family: the primary while it is UP (TTL: the primary's);
 * else the secondary while it is UP (TTL: the lesser of both); else the primary (TTL: the secondary's, and the resource
 * is DOWN). With both families, the TTL is the lesser of the two.
 */
record Simplefo(String name, Optional<Pair> v4, Optional<Pair> v6, List<String> serviceTypes) implements Resource {

  /** A primary and a secondary address of one family. */
  record Pair(InetAddress primary, InetAddress secondary) {
    static Pair of(ResourceConfig.Failover f) {
      return new Pair(Validation.ipLiteral("primary", f.primary()), Validation.ipLiteral("secondary",
          f.secondary()));
    }
  }

  @Override
  public ResourceConfig.Plugin plugin() {
    return ResourceConfig.Plugin.SIMPLEFO;
  }

  @Override
  public List<InetAddress> addresses() {
    List<InetAddress> all = new ArrayList<>();
    for (Optional<Pair> p : List.of(v4, v6)) {
      p.ifPresent(pair -> {
        all.add(pair.primary());
        all.add(pair.secondary());
      });
    }
    return all;
  }

  @Override
  public Selection select(HealthSnapshot health) {
    return Selection.of(v4.map(p -> family(health, p)).orElse(Family.NONE),
        v6.map(p -> family(health, p)).orElse(Family.NONE));
  }

  private Family family(HealthSnapshot health, Pair pair) {
    HealthState p = Resource.stateOf(health, this, pair.primary());
    if (!p.down()) {
      return new Family(ResourceState.UP, p, new Choice.Listed(List.of(pair.primary())));
    }
    HealthState s = Resource.stateOf(health, this, pair.secondary());
    if (s.down()) {
      return new Family(ResourceState.DOWN, s, new Choice.Listed(List.of(pair.primary())));
    }
    return new Family(ResourceState.DEGRADED, HealthState.up(Math.min(p.ttl(), s.ttl())),
        new Choice.Listed(List.of(pair.secondary())));
  }
}
