package org.example.lb.dns.resource;

import static org.example.lb.common.config.Validation.invalid;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.example.lb.common.config.Validation;

/**
 * A dynamic address resource, one entry of the {@code resources} mapping of the config: gdnsd's multifo, simplefo or
 * weighted resources (gdnsd-plugin-multifo(8), -simplefo(8), -weighted(8)).
 *
 * <pre>
 * resources:
 *   www:  { plugin: multifo, addresses: [192.0.2.1, 192.0.2.2, "2001:db8::1"], serviceTypes: [http], upThresh: 0.5 }
 *   mail: { plugin: simplefo, primary: 192.0.2.10, secondary: 192.0.2.20, serviceTypes: [smtp] }
 *   both: { plugin: simplefo, addrsV4: { primary: 192.0.2.10, secondary: 192.0.2.20 },
 *           addrsV6: { primary: "2001:db8::10", secondary: "2001:db8::20" } }
 *   cdn:  { plugin: weighted, weights: { 192.0.2.31: 3, 192.0.2.32: 1 }, multi: false, upThresh: 0.5 }
 * </pre>
 *
 * @param plugin multifo, simplefo or weighted
 * @param addresses multifo: the addresses, IPv4 and/or IPv6 (each family is a set of its own, as gdnsd's
 *     {@code addrs_v4}/{@code addrs_v6})
 * @param primary simplefo: the primary address (with {@code secondary}, of the same family)
 * @param secondary simplefo: the secondary address
 * @param addrsV4 simplefo: the IPv4 pair, instead of {@code primary}/{@code secondary}
 * @param addrsV6 simplefo: the IPv6 pair
 * @param weights weighted: address → weight 1-1048575, IPv4 and/or IPv6, at most 64 per family (gdnsd's ungrouped
 *     sets; grouped sets are not supported)
 * @param serviceTypes how every address is monitored; an address's state is the worst of them; default {@code [up]}
 * @param upThresh multifo, weighted: the fraction (0-1] of addresses (multifo) or of the total weight (weighted) that
 *     must be up, else every address is used as if up; default 0.5
 * @param multi weighted: answer with several addresses, each with odds weight / largest weight (at most 10 addresses
 *     per family here); default false: one address, odds weight / total
 * @param ignoreHealth multifo: answer with every address whatever its state (states still count for up_thresh and
 *     TTLs); default false
 */
public record ResourceConfig(Plugin plugin, List<String> addresses, String primary, String secondary,
    Failover addrsV4, Failover addrsV6, Map<String, Integer> weights, List<String> serviceTypes, Double upThresh,
    Boolean multi, Boolean ignoreHealth) {

  /** The resolution plugins. */
  public enum Plugin {
    MULTIFO, SIMPLEFO, WEIGHTED;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** gdnsd's largest weight (2^20 - 1). */
  public static final int MAX_WEIGHT = 1_048_575;
  /** gdnsd's limit of items per address family of a weighted resource. */
  public static final int MAX_WEIGHTED = 64;
  /** Here, weighted multi answers are precompiled per subset: at most 2^10 of them per family. */
  public static final int MAX_WEIGHTED_MULTI = 10;

  /**
   * A simplefo pair.
   *
   * @param primary answered while UP
   * @param secondary answered while the primary is DOWN and it is UP
   */
  public record Failover(String primary, String secondary) {
    public Failover {
      Validation.ipLiteral("primary", Validation.nonBlank("primary", primary));
      Validation.ipLiteral("secondary", Validation.nonBlank("secondary", secondary));
      if (family(primary) != family(secondary)) {
        throw invalid("secondary", secondary, "an address of the primary's family");
      }
    }
  }

  public ResourceConfig {
    if (plugin == null) {
      throw invalid("plugin", "missing", "one of multifo, simplefo, weighted");
    }
    only(plugin, "addresses", addresses != null, Plugin.MULTIFO);
    only(plugin, "primary", primary != null, Plugin.SIMPLEFO);
    only(plugin, "secondary", secondary != null, Plugin.SIMPLEFO);
    only(plugin, "addrsV4", addrsV4 != null, Plugin.SIMPLEFO);
    only(plugin, "addrsV6", addrsV6 != null, Plugin.SIMPLEFO);
    only(plugin, "weights", weights != null, Plugin.WEIGHTED);
    only(plugin, "upThresh", upThresh != null, Plugin.MULTIFO, Plugin.WEIGHTED);
    only(plugin, "multi", multi != null, Plugin.WEIGHTED);
    only(plugin, "ignoreHealth", ignoreHealth != null, Plugin.MULTIFO);
    serviceTypes = serviceTypes == null ? List.of("up") : List.copyOf(serviceTypes);
    if (serviceTypes.isEmpty()) {
      throw invalid("serviceTypes", "[]", "at least one service type (up: no monitoring)");
    }
    upThresh = upThresh == null ? 0.5 : upThresh;
    if (!(upThresh > 0.0 && upThresh <= 1.0)) {
      throw invalid("upThresh", upThresh, "a fraction in (0.0 - 1.0]");
    }
    multi = multi != null && multi;
    ignoreHealth = ignoreHealth != null && ignoreHealth;
    switch (plugin) {
      case MULTIFO -> {
        if (addresses == null || addresses.isEmpty()) {
          throw invalid("addresses", addresses == null ? "missing" : "[]", "a list of IPv4 and/or IPv6 addresses");
        }
        addresses = List.copyOf(addresses);
        distinct("addresses", addresses);
      }
      case SIMPLEFO -> {
        boolean direct = primary != null || secondary != null;
        if (direct && (addrsV4 != null || addrsV6 != null)) {
          throw invalid("primary", primary, "either primary and secondary, or addrsV4 and/or addrsV6");
        }
        if (direct) {
          Failover pair = new Failover(primary, secondary);
          if (family(pair.primary()) == 4) {
            addrsV4 = pair;
          } else {
            addrsV6 = pair;
          }
        } else if (addrsV4 == null && addrsV6 == null) {
          throw invalid("primary", "missing", "primary and secondary, or addrsV4 and/or addrsV6");
        }
        if (addrsV4 != null && family(addrsV4.primary()) != 4) {
          throw invalid("addrsV4.primary", addrsV4.primary(), "an IPv4 address");
        }
        if (addrsV6 != null && family(addrsV6.primary()) != 6) {
          throw invalid("addrsV6.primary", addrsV6.primary(), "an IPv6 address");
        }
      }
      case WEIGHTED -> {
        if (weights == null || weights.isEmpty()) {
          throw invalid("weights", weights == null ? "missing" : "{}", "a mapping of addresses to weights 1-"
              + MAX_WEIGHT);
        }
        weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        distinct("weights", new ArrayList<>(weights.keySet()));
        int[] perFamily = new int[7];
        weights.forEach((address, weight) -> {
          if (weight == null || weight < 1 || weight > MAX_WEIGHT) {
            throw invalid("weights." + address, weight, "a weight 1-" + MAX_WEIGHT);
          }
          perFamily[family(address)]++;
        });
        int limit = multi ? MAX_WEIGHTED_MULTI : MAX_WEIGHTED;
        for (int f : new int[] {4, 6}) {
          if (perFamily[f] > limit) {
            throw invalid("weights", perFamily[f] + " IPv" + f + " addresses", "at most " + limit + " per family"
                + (multi ? " with multi" : ""));
          }
        }
      }
    }
  }

  private static void only(Plugin plugin, String field, boolean present, Plugin... allowed) {
    if (present && !List.of(allowed).contains(plugin)) {
      throw invalid(field, "set", "no " + field + " for plugin " + plugin);
    }
  }

  private static void distinct(String field, List<String> addresses) {
    List<InetAddress> seen = new ArrayList<>();
    for (int i = 0; i < addresses.size(); i++) {
      InetAddress a = Validation.ipLiteral(field + "[" + i + "]", addresses.get(i));
      if (seen.contains(a)) {
        throw invalid(field + "[" + i + "]", addresses.get(i), "each address once");
      }
      seen.add(a);
    }
  }

  static int family(String address) {
    return Validation.ipLiteral("address", address) instanceof Inet4Address ? 4 : 6;
  }
}
