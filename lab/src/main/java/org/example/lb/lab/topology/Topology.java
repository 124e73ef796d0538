package org.example.lb.lab.topology;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;

/**
 * A topology with every node named and every address, route and veth name worked out. Load it
 * with {@link #load}; it is immutable.
 *
 * @param file            where it was read from (for messages)
 * @param switchNamespace the namespace holding the bridges
 * @param segments        the L2 segments, in file order
 * @param nodes           every node, group by group, members in order
 * @param vips            the service addresses
 * @param clientPrefixes  the client ranges as the fewest covering prefixes
 * @param clientAddresses every client address, in range order
 */
public record Topology(
    Path file, String switchNamespace, List<Segment> segments, List<Node> nodes, List<InetAddress> vips,
    List<Cidr> clientPrefixes, List<InetAddress> clientAddresses) {

  public Topology {
    segments = List.copyOf(segments);
    nodes = List.copyOf(nodes);
    vips = List.copyOf(vips);
    clientPrefixes = List.copyOf(clientPrefixes);
    clientAddresses = List.copyOf(clientAddresses);
  }

  /**
   * Reads and resolves {@code file}, with group sizes overridden by {@code sizes} (group name to
   * count). Every error is one line naming the file, the line and the field.
   */
  public static Topology load(Path file, Map<String, Integer> sizes) throws ConfigException {
    YamlLines lines = YamlLines.read(file);
    TopologyFile spec;
    try {
      spec = ConfigLoader.load(file, TopologyFile.class);
    } catch (ConfigException e) {
      throw lines.relocate(file, e);
    }
    return new TopologyResolver(file, lines, spec, sizes).resolve();
  }

  /** Like {@link #load} but from text (tests); {@code file} is used in messages only. */
  public static Topology parse(Path file, String text, Map<String, Integer> sizes) throws ConfigException {
    YamlLines lines = YamlLines.parse(text);
    TopologyFile spec;
    try {
      spec = ConfigLoader.parse(file, text, TopologyFile.class);
    } catch (ConfigException e) {
      throw lines.relocate(file, e);
    }
    return new TopologyResolver(file, lines, spec, sizes).resolve();
  }

  public Optional<Node> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  public List<Node> nodesWithRole(Role role) {
    return nodes.stream().filter(n -> n.role() == role).toList();
  }

  public List<String> nodeNames() {
    return nodes.stream().map(Node::name).toList();
  }

  /** Every namespace the lab creates: the switch, then the nodes. */
  public List<String> namespaces() {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(switchNamespace), nodeNames().stream()).toList();
  }

  /**
   * An L2 segment: bridge {@link #bridge()} in the switch namespace.
   *
   * @param ipv4 the IPv4 prefix, if the segment has one
   * @param ipv6 the IPv6 prefix, if the segment has one
   * @param mtu  the MTU of the bridge and of every link on it
   */
  public record Segment(String name, Optional<Cidr> ipv4, Optional<Cidr> ipv6, int mtu) {
    public String bridge() {
      return "br-" + name;
    }
  }

  /**
   * One namespace.
   *
   * @param group      the group it belongs to
   * @param index      its number in the group, from 1
   * @param interfaces one per segment it is linked to, named as the segment
   * @param loopback   addresses on lo (VIPs, client ranges)
   * @param routes     static routes
   */
  public record Node(
      String name, String group, int index, Role role, List<Interface> interfaces, List<Cidr> loopback,
      List<Route> routes) {
    public Node {
      interfaces = List.copyOf(interfaces);
      loopback = List.copyOf(loopback);
      routes = List.copyOf(routes);
    }

    public Optional<Interface> on(String segment) {
      return interfaces.stream().filter(i -> i.segment().equals(segment)).findFirst();
    }

    /** Addresses on its links (not lo), IPv4 first. */
    public List<Cidr> linkAddresses() {
      return interfaces.stream().flatMap(i -> i.addresses().stream())
          .sorted(java.util.Comparator.comparing(Cidr::isIpv6)).toList();
    }

    /** True when any route has more than one next hop. */
    public boolean hasMultipath() {
      return routes.stream().anyMatch(r -> r.nexthops().size() > 1);
    }
  }

  /**
   * A veth into a segment: {@link #segment()} inside the node, {@link #switchPort()} on the bridge.
   *
   * @param addresses IPv4 first, then IPv6
   */
  public record Interface(String segment, String switchPort, List<Cidr> addresses) {
    public Interface {
      addresses = List.copyOf(addresses);
    }

    public Optional<Cidr> ipv4() {
      return addresses.stream().filter(a -> !a.isIpv6()).findFirst();
    }

    public Optional<Cidr> ipv6() {
      return addresses.stream().filter(Cidr::isIpv6).findFirst();
    }
  }

  /** A static route; more than one next hop makes it multipath (ECMP). */
  public record Route(Cidr destination, List<Nexthop> nexthops) {
    public Route {
      nexthops = List.copyOf(nexthops);
    }
  }

  /** A gateway: {@code address} of node {@code node}, reached through {@code device}. */
  public record Nexthop(InetAddress address, String device, String node) {}
}
