package org.example.lb.lab.topology;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.example.lb.common.config.Addresses;
import org.example.lb.common.config.ConfigException;
import org.example.lb.lab.topology.Topology.Interface;
import org.example.lb.lab.topology.Topology.Nexthop;
import org.example.lb.lab.topology.Topology.Node;
import org.example.lb.lab.topology.Topology.Route;
import org.example.lb.lab.topology.Topology.Segment;

/** Names the nodes, assigns addresses and works out routes; every error names file:line:field. */
final class TopologyResolver {
  private static final int MAX_INTERFACE_NAME = 15;

  private final Path file;
  private final YamlLines lines;
  private final TopologyFile spec;
  private final Map<String, Integer> sizes;
  private final Map<String, Segment> segments = new LinkedHashMap<>();
  private final Map<String, Integer> segmentIndex = new HashMap<>();
  private final Map<String, List<String>> members = new LinkedHashMap<>();
  private final Map<InetAddress, String> owners = new HashMap<>();

  TopologyResolver(Path file, YamlLines lines, TopologyFile spec, Map<String, Integer> sizes) {
    this.file = file;
    this.lines = lines;
    this.spec = spec;
    this.sizes = new TreeMap<>(sizes);
  }

  Topology resolve() throws ConfigException {
    resolveSegments();
    List<InetAddress> vips = new ArrayList<>();
    for (String vip : spec.vips()) {
      vips.add(Addresses.parseLiteral(vip).orElseThrow());
    }
    List<InetAddress> clientAddresses = new ArrayList<>();
    List<Cidr> clientPrefixes = new ArrayList<>();
    for (int i = 0; i < spec.clients().size(); i++) {
      TopologyFile.AddressRange range = spec.clients().get(i);
      InetAddress first = Addresses.parseLiteral(range.first()).orElseThrow();
      try {
        clientPrefixes.addAll(Cidr.cover(first, range.count()));
      } catch (IllegalArgumentException e) {
        throw error("clients[" + i + "].count", range.count() + " (expected: a range inside the address space)");
      }
      for (int k = 0; k < range.count(); k++) {
        clientAddresses.add(Cidr.add(first, k));
      }
    }
    checkSizes();
    expandNames();
    List<Node> nodes = new ArrayList<>();
    for (int g = 0; g < spec.groups().size(); g++) {
      TopologyFile.Group group = spec.groups().get(g);
      List<String> names = members.get(group.name());
      for (int i = 0; i < names.size(); i++) {
        List<Interface> interfaces = interfaces(g, group, names.get(i), i);
        List<Cidr> loopback = loopback(g, group, vips, clientAddresses);
        nodes.add(new Node(names.get(i), group.name(), i + 1, group.role(), interfaces, loopback, List.of()));
      }
    }
    Map<String, Node> byName = new LinkedHashMap<>();
    nodes.forEach(n -> byName.put(n.name(), n));
    List<Node> routed = new ArrayList<>();
    for (Node node : nodes) {
      int g = groupIndex(node.group());
      routed.add(new Node(node.name(), node.group(), node.index(), node.role(), node.interfaces(), node.loopback(),
          routes(g, spec.groups().get(g), node, byName, vips, clientPrefixes)));
    }
    return new Topology(file, spec.switchNamespace(), List.copyOf(segments.values()), routed, vips,
        clientPrefixes, clientAddresses);
  }

  private void resolveSegments() throws ConfigException {
    for (int i = 0; i < spec.segments().size(); i++) {
      TopologyFile.Segment s = spec.segments().get(i);
      if (segments.containsKey(s.name())) {
        throw error("segments[" + i + "].name", "\"" + s.name() + "\" (expected: a name not used by another segment)");
      }
      Optional<Cidr> v4 = Optional.ofNullable(s.ipv4()).flatMap(Cidr::parse);
      Optional<Cidr> v6 = Optional.ofNullable(s.ipv6()).flatMap(Cidr::parse);
      for (Segment other : segments.values()) {
        for (var pair : List.of(List.of(v4, other.ipv4()), List.of(v6, other.ipv6()))) {
          if (pair.get(0).isPresent() && pair.get(1).isPresent() && overlap(pair.get(0).get(), pair.get(1).get())) {
            String field = pair.get(0).get().isIpv6() ? "ipv6" : "ipv4";
            throw error("segments[" + i + "]." + field, pair.get(0).get()
                + " (expected: a prefix not overlapping segment " + other.name() + "'s " + pair.get(1).get() + ")");
          }
        }
      }
      segments.put(s.name(), new Segment(s.name(), v4, v6, s.mtu()));
      segmentIndex.put(s.name(), i);
    }
  }

  private static boolean overlap(Cidr a, Cidr b) {
    return a.contains(b.network().address()) || b.contains(a.network().address());
  }

  private void checkSizes() throws ConfigException {
    for (var e : sizes.entrySet()) {
      int g = groupIndex(e.getKey());
      if (g < 0) {
        throw new ConfigException("--size " + e.getKey() + "=" + e.getValue() + ": no group " + e.getKey()
            + " in " + file + " (expected one of: "
            + String.join(", ", spec.groups().stream().map(TopologyFile.Group::name).toList()) + ")");
      }
      TopologyFile.Group group = spec.groups().get(g);
      if (e.getValue() < 1 || e.getValue() > 250) {
        throw new ConfigException("--size " + e.getKey() + "=" + e.getValue() + ": (expected: a count 1-250)");
      }
      if (e.getValue() > 1 && !group.pattern().contains("{n}")) {
        throw error("groups[" + g + "].pattern", "\"" + group.pattern() + "\" cannot make " + e.getValue()
            + " nodes for --size " + e.getKey() + "=" + e.getValue() + " (expected: a pattern containing {n})");
      }
    }
  }

  private int groupIndex(String name) {
    for (int g = 0; g < spec.groups().size(); g++) {
      if (spec.groups().get(g).name().equals(name)) {
        return g;
      }
    }
    return -1;
  }

  private int count(TopologyFile.Group group) {
    return sizes.getOrDefault(group.name(), group.count());
  }

  private String sizeNote(TopologyFile.Group group) {
    return sizes.containsKey(group.name()) ? " with --size " + group.name() + "=" + count(group) : "";
  }

  private void expandNames() throws ConfigException {
    Map<String, String> nameOwner = new HashMap<>();
    for (int g = 0; g < spec.groups().size(); g++) {
      TopologyFile.Group group = spec.groups().get(g);
      if (members.containsKey(group.name())) {
        throw error("groups[" + g + "].name", "\"" + group.name() + "\" (expected: a name not used by another group)");
      }
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= count(group); i++) {
        String name = group.pattern().replace("{n}", Integer.toString(i));
        if (name.length() > 12) {
          throw error("groups[" + g + "].pattern", "\"" + group.pattern() + "\" makes " + name + sizeNote(group)
              + " (expected: node names of at most 12 characters)");
        }
        if (name.equals(spec.switchNamespace())) {
          throw error("groups[" + g + "].pattern", "\"" + group.pattern() + "\" makes " + name
              + " (expected: a name other than the switch namespace)");
        }
        String previous = nameOwner.putIfAbsent(name, group.name());
        if (previous != null) {
          throw error("groups[" + g + "].pattern", "\"" + group.pattern() + "\" makes " + name + sizeNote(group)
              + ", also made by group " + previous + " (expected: unique node names)");
        }
        names.add(name);
      }
      members.put(group.name(), names);
    }
    for (String groupName : members.keySet()) {
      if (nameOwner.containsKey(groupName) && !nameOwner.get(groupName).equals(groupName)) {
        int g = groupIndex(groupName);
        throw error("groups[" + g + "].name", "\"" + groupName + "\" is also the name of a node of group "
            + nameOwner.get(groupName) + " (expected: group and node names that route via can tell apart)");
      }
    }
  }

  private List<Interface> interfaces(int g, TopologyFile.Group group, String node, int i) throws ConfigException {
    List<Interface> out = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (int j = 0; j < group.links().size(); j++) {
      TopologyFile.Link link = group.links().get(j);
      String field = "groups[" + g + "].links[" + j + "]";
      Segment segment = segments.get(link.segment());
      if (segment == null) {
        throw error(field + ".segment", "\"" + link.segment() + "\" (expected one of: "
            + String.join(", ", segments.keySet()) + ")");
      }
      if (seen.contains(link.segment())) {
        throw error(field + ".segment", "\"" + link.segment() + "\" (expected: each segment at most once per group)");
      }
      seen.add(link.segment());
      BigInteger offset = BigInteger.valueOf(link.host() + i);
      List<Cidr> addresses = new ArrayList<>();
      String v4Digits = null;
      if (segment.ipv4().isPresent()) {
        Cidr prefix = segment.ipv4().get();
        BigInteger broadcast = BigInteger.ONE.shiftLeft(prefix.hostBits()).subtract(BigInteger.ONE);
        Optional<Cidr> address = offset.compareTo(broadcast) < 0 ? prefix.hostAt(offset) : Optional.empty();
        if (address.isEmpty()) {
          throw error(field + ".host", link.host() + " gives host " + offset + " for " + node + sizeNote(group)
              + ", outside " + segment.name() + " " + prefix + " (expected: 1-" + broadcast.subtract(BigInteger.ONE) + ")");
        }
        addresses.add(claim(field + ".host", address.get(), node, segment.name()));
        byte[] raw = address.get().address().getAddress();
        v4Digits = Integer.toString(raw[3] & 0xff);
      }
      if (segment.ipv6().isPresent()) {
        Cidr prefix = segment.ipv6().get();
        BigInteger id = new BigInteger(v4Digits != null ? v4Digits : offset.toString(), 16);
        Optional<Cidr> address = prefix.hostAt(id);
        if (address.isEmpty()) {
          throw error(field + ".host", link.host() + " gives interface id " + id.toString(16) + " for " + node
              + sizeNote(group) + ", outside " + segment.name() + " " + prefix + " (expected: a smaller host number)");
        }
        addresses.add(claim(field + ".host", address.get(), node, segment.name()));
      }
      String port = node + "." + segment.name();
      if (port.length() > MAX_INTERFACE_NAME) {
        port = node + "." + segmentIndex.get(segment.name());
      }
      out.add(new Interface(segment.name(), port, addresses));
    }
    return out;
  }

  private Cidr claim(String field, Cidr address, String node, String where) throws ConfigException {
    String owner = node + " on " + where;
    String previous = owners.putIfAbsent(address.address(), owner);
    if (previous != null && !previous.equals(owner)) {
      String resized = sizes.isEmpty() ? "" : " with --size " + sizes.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(","));
      throw error(field, address.addressText() + " for " + owner + " is taken by " + previous + resized
          + " (expected: addresses used once; check host numbers and --size)");
    }
    return address;
  }

  private List<Cidr> loopback(int g, TopologyFile.Group group, List<InetAddress> vips, List<InetAddress> clients)
      throws ConfigException {
    List<Cidr> out = new ArrayList<>();
    for (int k = 0; k < group.loopback().size(); k++) {
      String entry = group.loopback().get(k);
      switch (entry) {
        case "vips" -> vips.forEach(a -> out.add(Cidr.host(a)));
        case "clients" -> clients.forEach(a -> out.add(Cidr.host(a)));
        default -> {
          Optional<InetAddress> literal = Addresses.parseLiteral(entry);
          if (literal.isEmpty()) {
            throw error("groups[" + g + "].loopback[" + k + "]", "\"" + entry
                + "\" (expected: vips, clients or an address literal)");
          }
          out.add(Cidr.host(literal.get()));
        }
      }
    }
    return out;
  }

  private List<Route> routes(int g, TopologyFile.Group group, Node node, Map<String, Node> nodes,
      List<InetAddress> vips, List<Cidr> clientPrefixes) throws ConfigException {
    List<Route> out = new ArrayList<>();
    List<Cidr> seen = new ArrayList<>();
    for (int k = 0; k < group.routes().size(); k++) {
      TopologyFile.Route route = group.routes().get(k);
      String field = "groups[" + g + "].routes[" + k + "]";
      boolean isDefault = route.to().equals("default");
      List<Cidr> destinations = destinations(field + ".to", route.to(), vips, clientPrefixes);
      List<Node> via = new ArrayList<>();
      for (int m = 0; m < route.via().size(); m++) {
        String name = route.via().get(m);
        if (members.containsKey(name)) {
          members.get(name).forEach(n -> via.add(nodes.get(n)));
        } else if (nodes.containsKey(name)) {
          via.add(nodes.get(name));
        } else {
          throw error(field + ".via[" + m + "]", "\"" + name + "\" (expected: a group or node name, one of: "
              + String.join(", ", members.keySet()) + ")");
        }
      }
      via.removeIf(n -> n.name().equals(node.name()));
      int installed = 0;
      for (Cidr destination : destinations) {
        List<Nexthop> hops = new ArrayList<>();
        for (Node neighbor : via) {
          nexthop(node, neighbor, destination.isIpv6()).ifPresent(hops::add);
        }
        if (hops.isEmpty()) {
          if (isDefault) {
            continue;
          }
          throw error(field + ".via", route.via() + " gives " + node.name() + " no " + (destination.isIpv6() ? "IPv6" : "IPv4")
              + " next hop for " + destination + " (expected: nodes sharing a segment of that family with it)");
        }
        if (seen.contains(destination)) {
          throw error(field + ".to", "\"" + route.to() + "\" repeats " + destination + " for " + node.name()
              + " (expected: one route per destination)");
        }
        seen.add(destination);
        out.add(new Route(destination, hops));
        installed++;
      }
      if (installed == 0) {
        throw error(field + ".via", route.via() + " shares no segment with " + node.name()
            + " (expected: neighbors of the node)");
      }
    }
    return out;
  }

  private List<Cidr> destinations(String field, String to, List<InetAddress> vips, List<Cidr> clientPrefixes)
      throws ConfigException {
    switch (to) {
      case "default" -> {
        return List.of(Cidr.parse("0.0.0.0/0").orElseThrow(), Cidr.parse("::/0").orElseThrow());
      }
      case "clients" -> {
        return clientPrefixes;
      }
      case "vips" -> {
        return vips.stream().map(Cidr::host).toList();
      }
      default -> {
        Segment segment = segments.get(to);
        if (segment != null) {
          return java.util.stream.Stream.of(segment.ipv4(), segment.ipv6()).flatMap(Optional::stream).toList();
        }
        Optional<Cidr> literal = Cidr.parse(to);
        if (literal.isPresent()) {
          return List.of(literal.get().network());
        }
        throw error(field, "\"" + to + "\" (expected: default, clients, vips, a segment name ("
            + String.join(", ", segments.keySet()) + ") or a prefix)");
      }
    }
  }

  private static Optional<Nexthop> nexthop(Node from, Node to, boolean ipv6) {
    for (Interface mine : from.interfaces()) {
      Optional<Interface> theirs = to.on(mine.segment());
      if (theirs.isEmpty()) {
        continue;
      }
      Optional<Cidr> mineAddress = ipv6 ? mine.ipv6() : mine.ipv4();
      Optional<Cidr> theirAddress = ipv6 ? theirs.get().ipv6() : theirs.get().ipv4();
      if (mineAddress.isPresent() && theirAddress.isPresent()) {
        return Optional.of(new Nexthop(theirAddress.get().address(), mine.segment(), to.name()));
      }
    }
    return Optional.empty();
  }

  private ConfigException error(String field, String message) {
    return new ConfigException(file, lines.lineOf(field), field + ": " + message);
  }
}
