package org.example.lb.dns.resource;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.example.lb.common.config.Validation;
import org.example.lb.dns.health.HealthSnapshot;
import org.example.lb.dns.health.HealthState;
import org.example.lb.dns.resource.Selection.Family;

/**
 * gdnsd's weighted (gdnsd-plugin-weighted(8)), ungrouped, per address family: an address's dynamic weight is its
 * weight while not DOWN, else 0. When the dynamic weights sum to less than {@code ceil(upThresh × total weight)}, every
 * address gets its full weight (and the resource is DOWN). Each query then draws one address with odds weight / sum, or
 * with {@code multi} each address with odds weight / largest weight. The TTL is the least of all the addresses'.
 */
record Weighted(String name, List<Item> v4, List<Item> v6, List<String> serviceTypes, double upThresh, boolean multi)
    implements Resource {

  /** An address and its configured weight. */
  record Item(InetAddress address, int weight) {
    static List<Item> of(Map<String, Integer> weights, int family) {
      List<Item> out = new ArrayList<>();
      weights.forEach((a, w) -> {
        InetAddress ip = Validation.ipLiteral("address", a);
        if ((ip instanceof Inet4Address) == (family == 4)) {
          out.add(new Item(ip, w));
        }
      });
      return List.copyOf(out);
    }
  }

  @Override
  public ResourceConfig.Plugin plugin() {
    return ResourceConfig.Plugin.WEIGHTED;
  }

  @Override
  public List<InetAddress> addresses() {
    return Stream.concat(v4.stream(), v6.stream()).map(Item::address).toList();
  }

  @Override
  public Selection select(HealthSnapshot health) {
    return Selection.of(family(health, v4), family(health, v6));
  }

  private Family family(HealthSnapshot health, List<Item> items) {
    if (items.isEmpty()) {
      return Family.NONE;
    }
    HealthState worst = HealthState.UP;
    List<InetAddress> addresses = new ArrayList<>();
    List<Integer> dynamic = new ArrayList<>();
    List<Integer> full = new ArrayList<>();
    long sum = 0;
    long total = 0;
    boolean anyDown = false;
    for (Item i : items) {
      HealthState s = Resource.stateOf(health, this, i.address());
      worst = worst.worst(s);
      addresses.add(i.address());
      full.add(i.weight());
      dynamic.add(s.down() ? 0 : i.weight());
      sum += s.down() ? 0 : i.weight();
      total += i.weight();
      anyDown |= s.down();
    }
    if (sum < (long) Math.ceil(total * upThresh)) { // gdnsd_uscale_ceil
      return new Family(ResourceState.DOWN, HealthState.down(worst.ttl()), new Choice.Weighted(addresses, full,
          multi));
    }
    return new Family(anyDown ? ResourceState.DEGRADED : ResourceState.UP, HealthState.up(worst.ttl()),
        new Choice.Weighted(addresses, dynamic, multi));
  }
}
