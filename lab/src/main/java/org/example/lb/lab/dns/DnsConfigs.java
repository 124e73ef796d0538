package org.example.lb.lab.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.example.lb.lab.topology.Cidr;

/**
 * The dns-tier configuration and the example.org zone the lab writes for each DNS node (the contract with dns-tier:
 * docs/dns.md).
 *
 * <p>Names: {@code www} answers every VIP that works (multifo: all of them when fewer than half do); {@code wwwN}
 * prefers the N-th VIP of each family and fails over to the next (simplefo). A VIP works when
 * {@code http://VIP/healthcheck} answers 200 through the whole stack (routers, an LB4, an LB7, a server) and
 * {@code /etc/lb/ext} on the DNS node does not say it is DOWN.
 */
final class DnsConfigs {
  /** The zone the lab serves. */
  static final String ZONE = "example.org";
  /** Seconds between health checks of a VIP (and rescans of /etc/lb/ext, which is also watched by inotify). */
  static final int CHECK_INTERVAL_SECONDS = 2;
  /** The administrator's state file of each DNS node: {@code ADDRESS => UP|DOWN[/TTL]} lines (gdnsd's extfile). */
  static final String EXTFILE = "/etc/lb/ext";

  private DnsConfigs() {}

  /**
   * The dns-tier config of a DNS node.
   *
   * @param listen the service (anycast) addresses
   * @param vips the VIPs, IPv4 and IPv6, in topology order
   */
  static String server(String node, List<Cidr> listen, List<Cidr> vips, int adminPort) {
    StringBuilder b = new StringBuilder();
    b.append("# dns-tier of ").append(node).append(", written by bin/lab up\n");
    b.append("node: ").append(node).append('\n');
    b.append("listen: { addresses: [").append(String.join(", ", listen.stream().map(DnsConfigs::quote).toList()))
        .append("], port: 53 }\n");
    b.append("workers: 1\n");
    b.append("zones: { ").append(ZONE).append(": zones/").append(ZONE).append(" }\n");
    b.append("nsid: ").append(node.toLowerCase(Locale.ROOT)).append('\n');
    b.append("admin: { port: ").append(adminPort).append(" }\n");
    b.append("serviceTypes:\n");
    b.append("  http: { plugin: http_status, port: 80, urlPath: /healthcheck, vhost: www.").append(ZONE)
        .append(", okCodes: [200],\n          interval: ").append(CHECK_INTERVAL_SECONDS)
        .append("s, timeout: 1s, upThresh: 3, okThresh: 2, downThresh: 2 }\n");
    b.append("  ext:  { plugin: extfile, file: ").append(EXTFILE).append(", direct: true, interval: ")
        .append(CHECK_INTERVAL_SECONDS).append("s }\n");
    List<Cidr> v4 = vips.stream().filter(v -> !v.isIpv6()).toList();
    List<Cidr> v6 = vips.stream().filter(Cidr::isIpv6).toList();
    b.append("resources:\n");
    b.append("  www: { plugin: multifo, addresses: [").append(String.join(", ", vips.stream().map(DnsConfigs::quote)
        .toList())).append("], serviceTypes: [http, ext] }\n");
    int pairs = Math.max(v4.size(), v6.size());
    for (int i = 0; i < pairs; i++) {
      List<String> families = new ArrayList<>();
      pair(v4, i).ifPresent(p -> families.add("addrsV4: " + p));
      pair(v6, i).ifPresent(p -> families.add("addrsV6: " + p));
      b.append("  www").append(i + 1).append(": { plugin: simplefo, ").append(String.join(", ", families))
          .append(", serviceTypes: [http, ext] }\n");
    }
    b.append("dynamic:\n");
    b.append("  www.").append(ZONE).append(": { resource: www, ttl: 30, minTtl: 5 }\n");
    for (int i = 1; i <= pairs; i++) {
      b.append("  www").append(i).append('.').append(ZONE).append(": { resource: www").append(i)
          .append(", ttl: 30, minTtl: 5 }\n");
    }
    return b.toString();
  }

  /** The simplefo pair of the i-th address of a family: it, then the next one (itself when it is alone). */
  private static Optional<String> pair(List<Cidr> family, int i) {
    if (family.isEmpty()) {
      return Optional.empty();
    }
    Cidr primary = family.get(i % family.size());
    Cidr secondary = family.get((i + 1) % family.size());
    return Optional.of("{ primary: " + quote(primary) + ", secondary: " + quote(secondary) + " }");
  }

  /** The example.org zone: SOA, two name servers on the anycast addresses; the www names are dynamic. */
  static String zone(List<Cidr> listen) {
    StringBuilder b = new StringBuilder();
    b.append("; example.org, served by dns-tier on the DNS nodes; written by bin/lab up\n");
    b.append("$ORIGIN ").append(ZONE).append(".\n");
    b.append("$TTL 300\n");
    b.append("@     IN SOA ns1 hostmaster 1 3600 600 86400 30\n");
    b.append("@     IN NS  ns1\n");
    b.append("@     IN NS  ns2\n");
    for (String ns : List.of("ns1", "ns2")) {
      for (Cidr address : listen) {
        b.append(String.format("%-5s IN %-4s %s%n", ns, address.isIpv6() ? "AAAA" : "A", address.addressText()));
      }
    }
    b.append("; www, www1, www2...: dynamic (dns-tier.yaml, \"dynamic\"); no A/AAAA records may stand there\n");
    b.append("lab   IN TXT \"a load-balancing lab: routers, LB4, LB7, servers, DNS\"\n");
    return b.toString();
  }

  private static String quote(Cidr address) {
    return "\"" + address.addressText() + "\"";
  }
}
