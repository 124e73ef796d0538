package org.example.lb.lab.bgp;

import java.util.List;
import org.example.lb.lab.topology.Cidr;

/**
 * The lab's BGP configuration files, as an operator would write them: gobgpd route reflectors (TOML) and BIRD 2 on
 * the edge routers. One AS ({@value #ASN}, from the documentation range of RFC 5398): every session is iBGP over the
 * fabric's IPv4 addresses and carries both ipv4-unicast and ipv6-unicast (RFC 4760).
 */
public final class BgpConfigs {
  /** The lab's AS number (RFC 5398 documentation range). */
  public static final int ASN = 64496;
  /** Hold time and keepalive of every session, seconds (GoBGP's minimum hold time is 3 s). */
  public static final int HOLD_SECONDS = 9;
  public static final int KEEPALIVE_SECONDS = 3;

  private BgpConfigs() {}

  /**
   * gobgpd on a route reflector: the routers get every path (add-paths send, RFC 7911) so their FIB holds one next
   * hop per LB4; the speakers (LB4, DNS) are passive clients — their gobgpd connects out and does not listen.
   *
   * @param self       the reflector's fabric IPv4 address (router id, cluster id, listen and local address)
   * @param routers    the edge routers' fabric IPv4 addresses
   * @param speakers   the speakers' fabric IPv4 addresses
   */
  public static String reflector(Cidr self, List<Cidr> routers, List<Cidr> speakers) {
    StringBuilder b = new StringBuilder();
    b.append("# gobgpd route reflector, written by bin/lab up\n");
    b.append("[global.config]\n");
    b.append("  as = ").append(ASN).append('\n');
    b.append("  router-id = \"").append(self.addressText()).append("\"\n");
    b.append("  local-address-list = [\"").append(self.addressText()).append("\"]\n");
    b.append("  port = 179\n");
    for (Cidr router : routers) {
      neighbor(b, self, router, false, true);
    }
    for (Cidr speaker : speakers) {
      neighbor(b, self, speaker, true, false);
    }
    return b.toString();
  }

  private static void neighbor(StringBuilder b, Cidr self, Cidr peer, boolean passive, boolean addPathsSend) {
    b.append("\n[[neighbors]]\n");
    b.append("  [neighbors.config]\n");
    b.append("    neighbor-address = \"").append(peer.addressText()).append("\"\n");
    b.append("    peer-as = ").append(ASN).append('\n');
    b.append("  [neighbors.timers.config]\n");
    b.append("    hold-time = ").append(HOLD_SECONDS).append('\n');
    b.append("    keepalive-interval = ").append(KEEPALIVE_SECONDS).append('\n');
    b.append("    connect-retry = 1\n");
    b.append("  [neighbors.transport.config]\n");
    b.append("    local-address = \"").append(self.addressText()).append("\"\n");
    b.append("    passive-mode = ").append(passive).append('\n');
    b.append("  [neighbors.route-reflector.config]\n");
    b.append("    route-reflector-client = true\n");
    b.append("    route-reflector-cluster-id = \"").append(self.addressText()).append("\"\n");
    for (String family : List.of("ipv4-unicast", "ipv6-unicast")) {
      b.append("  [[neighbors.afi-safis]]\n");
      b.append("    [neighbors.afi-safis.config]\n");
      b.append("      afi-safi-name = \"").append(family).append("\"\n");
      if (addPathsSend) {
        b.append("    [neighbors.afi-safis.add-paths.config]\n");
        b.append("      send-max = 8\n");
      }
    }
  }

  /**
   * BIRD 2 on an edge router: iBGP to each reflector with add-paths receive, next hops on the fabric used directly,
   * and the kernel protocols merging equal paths into one multipath route (ECMP; the kernel hashes the 5-tuple,
   * fib_multipath_hash_policy=3). A lost session is retried after 1 s (error wait time 1..5 s instead of 60..300 s).
   *
   * @param self       the router's fabric IPv4 address (router id, local address)
   * @param reflectors the reflectors' fabric IPv4 addresses
   * @param log        BIRD's log file
   */
  public static String router(Cidr self, List<Cidr> reflectors, String log) {
    StringBuilder b = new StringBuilder();
    b.append("# BIRD 2 edge router, written by bin/lab up\n");
    b.append("log \"").append(log).append("\" { info, remote, warning, error, auth, fatal, bug };\n");
    b.append("router id ").append(self.addressText()).append(";\n\n");
    b.append("protocol device {\n  scan time 10;\n}\n\n");
    for (String family : List.of("ipv4", "ipv6")) {
      b.append("protocol kernel kernel_").append(family).append(" {\n");
      b.append("  ").append(family).append(" {\n    import none;\n    export where source = RTS_BGP;\n  };\n");
      b.append("  merge paths on;\n");
      b.append("}\n\n");
    }
    b.append("template bgp reflector {\n");
    b.append("  local ").append(self.addressText()).append(" as ").append(ASN).append(";\n");
    b.append("  hold time ").append(HOLD_SECONDS).append(";\n");
    b.append("  keepalive time ").append(KEEPALIVE_SECONDS).append(";\n");
    b.append("  direct;\n"); // the reflectors share the fabric segment: iBGP would default to multihop
    b.append("  connect retry time 1;\n");
    b.append("  error wait time 1, 5;\n");
    for (String family : List.of("ipv4", "ipv6")) {
      b.append("  ").append(family).append(" {\n    import all;\n    export none;\n    add paths rx;\n"
          + "    gateway direct;\n  };\n");
    }
    b.append("}\n");
    int i = 1;
    for (Cidr reflector : reflectors) {
      b.append("\nprotocol bgp reflector").append(i++).append(" from reflector {\n");
      b.append("  neighbor ").append(reflector.addressText()).append(" as ").append(ASN).append(";\n}\n");
    }
    return b.toString();
  }

  /**
   * The bgp-speaker of an L4 or DNS node: its gobgpd peers with every reflector, announces {@code prefixes} with its
   * own fabric addresses as next hops while the health source says so, and withdraws while {@code /etc/lb/disable}
   * exists. Checks run every second (fast interval 500 ms while changing), rise 2, fall 2: a maintenance switch acts
   * within the flag watch, a failure within about 2 s, and DOWN withdraws (no MED demotion).
   *
   * @param healthSource the {@code health:} source line, e.g. {@code director: http://127.0.0.1:9200/status}
   */
  public static String speaker(String node, Cidr selfIpv4, Cidr selfIpv6, List<Cidr> reflectors,
      List<Cidr> prefixes, String healthSource, int adminPort) {
    StringBuilder peers = new StringBuilder();
    for (Cidr reflector : reflectors) {
      peers.append("    - { address: %s, asn: %d, holdTime: %ds, keepalive: %ds }\n".formatted(
          reflector.addressText(), ASN, HOLD_SECONDS, KEEPALIVE_SECONDS));
    }
    StringBuilder announced = new StringBuilder();
    for (Cidr prefix : prefixes) {
      announced.append("    - \"%s/%d\"\n".formatted(prefix.addressText(), prefix.prefixLength()));
    }
    return """
        # bgp-speaker of %s, written by bin/lab up
        node: %s
        bgp:
          asn: %d
          routerId: %s
          peers:
        %sannounce:
          prefixes:
        %s  nextHop: { ipv4: %s, ipv6: "%s" }
          communities: ["%d:100"]
        health:
          %s
          interval: 1s
          fastInterval: 500ms
          timeout: 1s
          rise: 2
          fall: 2
          withdrawOnDown: true
        admin: { port: %d }
        """.formatted(node, node, ASN, selfIpv4.addressText(), peers, announced, selfIpv4.addressText(),
        selfIpv6.addressText(), ASN, healthSource, adminPort);
  }
}
