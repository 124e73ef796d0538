package org.example.lb.dns.resource;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.example.lb.common.config.Validation;
import org.example.lb.dns.health.HealthSnapshot;
import org.example.lb.dns.health.HealthState;
import org.example.lb.dns.health.MonitorSpec;

/**
 * A dynamic address resource: addresses, how they are monitored, and the rule (gdnsd's plugin) that turns their states
 * into an answer. Pure: {@link #select} depends only on the snapshot.
 *
 * <p>An address's state is the worst of its service types' (gdnsd's {@code gdnsd_sttl_min}): DOWN if any is, the least
 * TTL. An admin_state line matching the resource's {@link #key()} forces every address of the resource to its state.
 */
public sealed interface Resource permits Multifo, Simplefo, Weighted {
  /** The name in the config. */
  String name();

  /** The plugin's name. */
  ResourceConfig.Plugin plugin();

  /** Every address, in config order. */
  List<InetAddress> addresses();

  /** The service types monitoring each address. */
  List<String> serviceTypes();

  /** What to answer with now. */
  Selection select(HealthSnapshot health);

  /** The admin_state key forcing the whole resource: {@code multifo/www}, like gdnsd's virtual resources. */
  default String key() {
    return plugin() + "/" + name();
  }

  /** The resource {@code config} describes. */
  static Resource of(String name, ResourceConfig config) {
    return switch (config.plugin()) {
      case MULTIFO -> new Multifo(name, family(config.addresses(), 4), family(config.addresses(), 6),
          config.serviceTypes(), config.upThresh(), config.ignoreHealth());
      case SIMPLEFO -> new Simplefo(name, Optional.ofNullable(config.addrsV4()).map(Simplefo.Pair::of),
          Optional.ofNullable(config.addrsV6()).map(Simplefo.Pair::of), config.serviceTypes());
      case WEIGHTED -> new Weighted(name, Weighted.Item.of(config.weights(), 4), Weighted.Item.of(config.weights(), 6),
          config.serviceTypes(), config.upThresh(), config.multi());
    };
  }

  private static List<InetAddress> family(List<String> addresses, int family) {
    List<InetAddress> out = new ArrayList<>();
    for (String a : addresses) {
      InetAddress ip = Validation.ipLiteral("address", a);
      if ((ip instanceof Inet4Address) == (family == 4)) {
        out.add(ip);
      }
    }
    return List.copyOf(out);
  }

  /** The state of one address of a resource: forced with the resource, else the worst of its service types. */
  static HealthState stateOf(HealthSnapshot health, Resource resource, InetAddress address) {
    Optional<HealthState> forced = health.forcedResource(resource.key());
    if (forced.isPresent()) {
      return forced.get();
    }
    HealthState s = HealthState.UP;
    for (String type : resource.serviceTypes()) {
      s = s.worst(health.stateOf(MonitorSpec.name(address, type)));
    }
    return s;
  }
}
