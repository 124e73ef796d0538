package org.example.lb.lab.netns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.example.lb.lab.state.Journal;
import org.example.lb.lab.state.Resource;
import org.example.lb.lab.topology.Cidr;
import org.example.lb.lab.topology.Role;
import org.example.lb.lab.topology.Topology;
import org.example.lb.lab.topology.Topology.Interface;
import org.example.lb.lab.topology.Topology.Node;
import org.example.lb.lab.topology.Topology.Route;
import org.example.lb.lab.topology.Topology.Segment;

/**
 * Builds a topology's namespaces, bridges, veths, addresses and routes. The bridges live in the
 * switch namespace and each veth is created straight into its namespaces, so nothing appears in
 * the host's root namespace. IPv6 addresses are added {@code nodad} (and DAD is off), so they are
 * usable at once; router advertisements are ignored.
 */
public final class LabNetwork {
  private LabNetwork() {}

  /** Namespaces named as the topology's that exist already, i.e. that this lab did not create. */
  public static List<String> conflicts(Topology topology) {
    List<String> existing = Netns.list();
    return topology.namespaces().stream().filter(existing::contains).toList();
  }

  /** Creates every namespace (journaled first), then the switch, then each node's links and routes. */
  public static void build(Topology topology, Journal journal) {
    for (String name : topology.namespaces()) {
      journal.record(new Resource.Namespace(name));
      Netns.add(name);
      Netns.sysctl(name, name.equals(topology.switchNamespace()) ? switchSysctls() : sysctls(topology.node(name).orElseThrow()));
    }
    Netns.batch(topology.switchNamespace(), switchCommands(topology));
    for (Node node : topology.nodes()) {
      Netns.batch(node.name(), nodeCommands(node));
    }
  }

  static Map<String, String> switchSysctls() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("net.ipv6.conf.all.disable_ipv6", "1");
    s.put("net.ipv6.conf.default.disable_ipv6", "1");
    return s;
  }

  /** fib_multipath_hash_fields: source and destination address, protocol, source and destination port. */
  static final String FIVE_TUPLE = "0x37";

  /** Kernel settings of a node, set before its links exist so they inherit the defaults. */
  public static Map<String, String> sysctls(Node node) {
    Map<String, String> s = new LinkedHashMap<>();
    for (String scope : List.of("all", "default")) {
      s.put("net.ipv6.conf." + scope + ".accept_ra", "0");
      s.put("net.ipv6.conf." + scope + ".accept_dad", "0");
      s.put("net.ipv6.conf." + scope + ".autoconf", "0");
      s.put("net.ipv4.conf." + scope + ".rp_filter", "0");
    }
    if (node.role().forwards()) {
      s.put("net.ipv4.ip_forward", "1");
      s.put("net.ipv6.conf.all.forwarding", "1");
    }
    if (node.role().forwards() || node.hasMultipath()) {
      // ECMP on the 5-tuple, as a router on its own box: policy 1 would take a packet's L4 hash when it carries one,
      // and packets forwarded within one kernel carry their sender's socket hash, which Linux re-rolls after a
      // retransmission timeout, so a SYN to a dead next hop would pick another path on its next try.
      for (String family : List.of("ipv4", "ipv6")) {
        s.put("net." + family + ".fib_multipath_hash_fields", FIVE_TUPLE);
        s.put("net." + family + ".fib_multipath_hash_policy", "3");
      }
    }
    if (node.role() == Role.L7) {
      // The VIPs on lo must not be answered for on the fabric (the L4 tier will tunnel to them).
      s.put("net.ipv4.conf.all.arp_ignore", "1");
      s.put("net.ipv4.conf.all.arp_announce", "2");
    }
    return s;
  }

  /** ip(8) commands run in the switch namespace: bridges, then each veth pair. */
  public static List<String> switchCommands(Topology topology) {
    List<String> lines = new ArrayList<>();
    for (Segment segment : topology.segments()) {
      lines.add("link add " + segment.bridge() + " mtu " + segment.mtu()
          + " type bridge stp_state 0 forward_delay 0 mcast_snooping 0");
      lines.add("link set " + segment.bridge() + " up");
    }
    for (Node node : topology.nodes()) {
      for (Interface link : node.interfaces()) {
        Segment segment = topology.segments().stream().filter(s -> s.name().equals(link.segment())).findFirst().orElseThrow();
        lines.add("link add " + link.switchPort() + " mtu " + segment.mtu() + " type veth peer name " + link.segment()
            + " mtu " + segment.mtu() + " netns " + node.name());
        lines.add("link set " + link.switchPort() + " master " + segment.bridge());
        lines.add("link set " + link.switchPort() + " up");
      }
    }
    return lines;
  }

  /** ip(8) commands run in a node's namespace: links up, addresses, routes. */
  public static List<String> nodeCommands(Node node) {
    List<String> lines = new ArrayList<>();
    lines.add("link set lo up");
    for (Cidr address : node.loopback()) {
      lines.add("address add " + address + " dev lo" + (address.isIpv6() ? " nodad" : ""));
    }
    for (Interface link : node.interfaces()) {
      for (Cidr address : link.addresses()) {
        lines.add("address add " + address + " dev " + link.segment() + (address.isIpv6() ? " nodad" : ""));
      }
      lines.add("link set " + link.segment() + " up");
    }
    for (Route route : node.routes()) {
      StringBuilder line = new StringBuilder("route add ").append(route.destination().network());
      if (route.nexthops().size() == 1) {
        var hop = route.nexthops().getFirst();
        line.append(" via ").append(Cidr.host(hop.address()).addressText())
            .append(" dev ").append(hop.device());
      } else {
        for (var hop : route.nexthops()) {
          line.append(" nexthop via ").append(Cidr.host(hop.address()).addressText()).append(" dev ").append(hop.device());
        }
      }
      lines.add(line.toString());
    }
    return lines;
  }
}
