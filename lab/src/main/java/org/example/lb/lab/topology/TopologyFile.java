package org.example.lb.lab.topology;

import static org.example.lb.common.config.Validation.invalid;
import static org.example.lb.common.config.Validation.nonBlank;
import static org.example.lb.common.config.Validation.range;
import static org.example.lb.common.config.Validation.required;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The topology file as written (see {@code lab/topology.yaml}). Each record checks what it can
 * alone; {@link Topology#resolve} checks cross references (segments, groups, addresses).
 *
 * @param switchNamespace the lab-private namespace holding one bridge per segment
 * @param segments        the L2 segments
 * @param vips            service addresses, placed where a group's {@code loopback} says {@code vips}
 * @param clients         client address ranges, placed where a group's {@code loopback} says {@code clients}
 * @param groups          node groups, in the order they are brought up
 */
public record TopologyFile(
    String switchNamespace,
    List<Segment> segments,
    List<String> vips,
    List<AddressRange> clients,
    List<Group> groups) {

  static final Pattern SEGMENT_NAME = Pattern.compile("[a-z][a-z0-9-]{0,11}");
  static final Pattern NODE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");
  static final Pattern NAMESPACE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  public TopologyFile {
    switchNamespace = switchNamespace == null ? "lb-lab-sw" : switchNamespace;
    if (!NAMESPACE_NAME.matcher(switchNamespace).matches()) {
      throw invalid("switchNamespace", quote(switchNamespace), "a namespace name of letters, digits, '.', '_', '-'");
    }
    segments = List.copyOf(required("segments", segments));
    if (segments.isEmpty()) {
      throw invalid("segments", "[]", "at least one segment");
    }
    vips = vips == null ? List.of() : List.copyOf(vips);
    for (int i = 0; i < vips.size(); i++) {
      org.example.lb.common.config.Validation.ipLiteral("vips[" + i + "]", vips.get(i));
    }
    clients = clients == null ? List.of() : List.copyOf(clients);
    groups = List.copyOf(required("groups", groups));
    if (groups.isEmpty()) {
      throw invalid("groups", "[]", "at least one node group");
    }
  }

  /**
   * An L2 segment: one bridge in the switch namespace. At least one of the prefixes is given.
   *
   * @param name interface name of the segment inside each node (1-12 of a-z, 0-9, '-')
   * @param ipv4 IPv4 prefix, or null for an IPv6-only segment
   * @param ipv6 IPv6 prefix, or null for an IPv4-only segment
   * @param mtu  the MTU of every link on the segment (0 = the default 1500; 1280..65535)
   */
  public record Segment(String name, String ipv4, String ipv6, int mtu) {
    /** The links' MTU when the file says none. */
    public static final int DEFAULT_MTU = 1500;

    public Segment {
      mtu = mtu == 0 ? DEFAULT_MTU : org.example.lb.common.config.Validation.range("mtu", mtu, 1280, 65535);
      nonBlank("name", name);
      if (!SEGMENT_NAME.matcher(name).matches()) {
        throw invalid("name", quote(name), "1-12 characters of a-z, 0-9, '-', starting with a letter");
      }
      if (ipv4 == null && ipv6 == null) {
        throw invalid("ipv4", "missing", "an IPv4 or an IPv6 prefix (or both)");
      }
      prefix("ipv4", ipv4, false);
      prefix("ipv6", ipv6, true);
    }

    private static void prefix(String field, String text, boolean v6) {
      if (text == null) {
        return;
      }
      Cidr cidr = Cidr.parse(text).orElseThrow(() -> invalid(field, quote(text), "a prefix such as "
          + (v6 ? "2001:db8:0:1::/64" : "192.0.2.0/29")));
      if (cidr.isIpv6() != v6) {
        throw invalid(field, quote(text), v6 ? "an IPv6 prefix" : "an IPv4 prefix");
      }
      if (!cidr.isNetwork()) {
        throw invalid(field, quote(text), "a network address (host bits zero), such as " + cidr.network());
      }
      if (cidr.hostBits() < 2) {
        throw invalid(field, quote(text), "a prefix with room for hosts (at most /" + (cidr.bits() - 2) + ")");
      }
    }
  }

  /**
   * {@code count} consecutive addresses starting at {@code first}.
   */
  public record AddressRange(String first, int count) {
    public AddressRange {
      org.example.lb.common.config.Validation.ipLiteral("first", first);
      range("count", count, 1, 65536);
    }
  }

  /**
   * A group of nodes alike. With {@code count} 1 and no {@code {n}} in the pattern the node is
   * named {@code pattern} (default: the group's name).
   *
   * @param name     what {@code --size NAME=N} refers to, and what {@code via} may name
   * @param pattern  node name pattern, {@code {n}} replaced by 1..count (default: name)
   * @param count    number of nodes (default 1)
   * @param role     what runs on the nodes
   * @param links    segments the nodes attach to
   * @param loopback addresses on lo: {@code vips}, {@code clients} or address literals
   * @param routes   static routes
   */
  public record Group(
      String name, String pattern, Integer count, Role role, List<Link> links, List<String> loopback,
      List<Route> routes) {
    public Group {
      nonBlank("name", name);
      if (!NODE_NAME.matcher(name).matches()) {
        throw invalid("name", quote(name), "letters, digits and '-', starting with a letter");
      }
      pattern = pattern == null ? name : pattern;
      if (!NODE_NAME.matcher(pattern.replace("{n}", "1")).matches()) {
        throw invalid("pattern", quote(pattern), "letters, digits, '-' and {n}, starting with a letter");
      }
      count = count == null ? 1 : count;
      range("count", count, 1, 250);
      if (count > 1 && !pattern.contains("{n}")) {
        throw invalid("pattern", quote(pattern), "a pattern containing {n} when count > 1");
      }
      required("role", role);
      links = links == null ? List.of() : List.copyOf(links);
      loopback = loopback == null ? List.of() : List.copyOf(loopback);
      routes = routes == null ? List.of() : List.copyOf(routes);
    }
  }

  /**
   * An attachment to a segment. Member i of a group (from 1) gets host offset {@code host + i - 1}.
   * IPv4: the network address plus the offset. IPv6: the prefix plus the decimal digits of the
   * IPv4 address's last octet read as hex (192.0.2.71 pairs with 2001:db8:0:3::71); on an IPv6-only
   * segment, the decimal digits of the offset read as hex (offset 11 gives ::11).
   */
  public record Link(String segment, int host) {
    public Link {
      nonBlank("segment", segment);
      range("host", host, 1, 9999);
    }
  }

  /**
   * A static route. {@code to}: {@code default}, a segment name, {@code clients}, {@code vips} or a
   * prefix literal. {@code via}: group or node names; several next hops make a multipath route.
   */
  public record Route(String to, List<String> via) {
    public Route {
      nonBlank("to", to);
      via = List.copyOf(required("via", via));
      if (via.isEmpty()) {
        throw invalid("via", "[]", "at least one group or node name");
      }
    }
  }

  static String quote(String s) {
    return s == null ? "missing" : "\"" + s + "\"";
  }
}
