package org.example.lb.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.example.lb.common.config.ConfigException;
import org.example.lb.lab.topology.Topology.Node;
import org.junit.jupiter.api.Test;

class TopologyTest {
  private static final Path DEFAULT = Path.of(System.getProperty("repo.root", ".."), "lab/topology.yaml");
  private static final Path FILE = Path.of("t.yaml");

  private static Topology standard() throws ConfigException {
    return Topology.load(DEFAULT, Map.of());
  }

  private static String text() throws Exception {
    return Files.readString(DEFAULT);
  }

  /** The standard topology with R1/R2 routing the VIPs to the LB4s statically (as before BGP), a group route. */
  private static String withStaticVipRoutes() throws Exception {
    String standard = text();
    String marker = "      - { to: default, via: [ internet ] }\n    # VIPs";
    assertThat(standard).contains(marker);
    return standard.replace(marker, "      - { to: default, via: [ internet ] }\n      - { to: vips, via: [ LB4 ] }\n    # VIPs");
  }

  @Test
  void defaultTopologyHasTheReferenceNodes() throws Exception {
    assertThat(standard().nodeNames()).containsExactly("users", "internet", "R1", "R2", "RR1", "RR2", "DNS1", "DNS2",
        "LB7-1", "LB7-2", "LB7-3", "LB7-4", "LB4-1", "LB4-2", "LB4-3", "S1", "S2", "S3", "S4", "S5");
    assertThat(standard().namespaces().getFirst()).isEqualTo("lb-lab-sw");
  }

  @Test
  void hostNumbersGiveMatchingIpv4AndIpv6Addresses() throws Exception {
    Node lb = standard().node("LB7-1").orElseThrow();
    assertThat(lb.on("fabric").orElseThrow().addresses()).extracting(Cidr::toString)
        .containsExactly("192.0.2.71/26", "2001:db8:0:3::71/64");
    assertThat(lb.on("servers").orElseThrow().addresses()).extracting(Cidr::toString)
        .containsExactly("2001:db8:0:4::71/64");
    assertThat(standard().node("LB7-4").orElseThrow().on("fabric").orElseThrow().addresses())
        .extracting(Cidr::toString).containsExactly("192.0.2.74/26", "2001:db8:0:3::74/64");
    assertThat(standard().node("S3").orElseThrow().linkAddresses()).extracting(Cidr::toString)
        .containsExactly("2001:db8:0:4::13/64");
    assertThat(standard().node("R2").orElseThrow().on("transit").orElseThrow().addresses())
        .extracting(Cidr::toString).containsExactly("192.0.2.11/29", "2001:db8:0:2::11/64");
  }

  @Test
  void vipsGoOnEveryBalancersLoopbackAndClientsOnTheUsersNode() throws Exception {
    Topology t = standard();
    for (Node lb : t.nodesWithRole(Role.L7)) {
      assertThat(lb.loopback()).extracting(Cidr::toString).containsExactly("198.51.100.1/32", "198.51.100.2/32",
          "2001:db8::c633:6401/128", "2001:db8::c633:6402/128");
    }
    Node users = t.node("users").orElseThrow();
    assertThat(users.loopback()).hasSize(400);
    assertThat(users.loopback().get(183).toString()).isEqualTo("203.0.113.184/32");
    assertThat(users.loopback().get(200).toString()).isEqualTo("2001:db8::cb00:7101/128");
    assertThat(users.loopback().getLast().toString()).isEqualTo("2001:db8::cb00:71c8/128");
  }

  @Test
  void routesAreMultipathWhereTheyViaAGroup() throws Exception {
    Topology t = standard();
    Node internet = t.node("internet").orElseThrow();
    Topology.Route fabric = internet.routes().stream()
        .filter(r -> r.destination().toString().equals("192.0.2.64/26")).findFirst().orElseThrow();
    assertThat(fabric.nexthops()).extracting(h -> h.node() + " " + Cidr.host(h.address()).addressText() + " " + h.device())
        .containsExactly("R1 192.0.2.10 transit", "R2 192.0.2.11 transit");
    assertThat(internet.routes()).extracting(r -> r.destination().toString())
        .contains("203.0.113.1/32", "203.0.113.128/26", "203.0.113.200/32", "2001:db8::cb00:7101/128",
            "198.51.100.1/32", "2001:db8::c633:6402/128", "2001:db8:0:3::/64");
    Node lb = t.node("LB7-3").orElseThrow();
    assertThat(lb.routes()).extracting(r -> r.destination() + " " + r.nexthops().size())
        .containsExactly("0.0.0.0/0 2", "::/0 2");
    assertThat(t.node("R1").orElseThrow().routes()).as("the VIPs come from BGP").extracting(r -> r.destination().toString())
        .containsExactly("0.0.0.0/0", "::/0");
    assertThat(Topology.parse(FILE, withStaticVipRoutes(), Map.of()).node("R1").orElseThrow().routes().get(2).nexthops())
        .extracting(Topology.Nexthop::node).containsExactly("LB4-1", "LB4-2", "LB4-3");
    assertThat(t.segments()).extracting(s -> s.name() + " " + s.mtu())
        .containsExactly("edge 1500", "transit 1500", "fabric 9000", "servers 1500");
    assertThat(t.node("S1").orElseThrow().routes()).isEmpty();
  }

  @Test
  void clientRangesBecomeTheFewestCoveringPrefixes() throws Exception {
    assertThat(standard().clientPrefixes().stream().filter(c -> !c.isIpv6()).map(Cidr::toString))
        .containsExactly("203.0.113.1/32", "203.0.113.2/31", "203.0.113.4/30", "203.0.113.8/29", "203.0.113.16/28",
            "203.0.113.32/27", "203.0.113.64/26", "203.0.113.128/26", "203.0.113.192/29", "203.0.113.200/32");
  }

  @Test
  void sizeOverrideChangesTheGroupAndEveryRouteViaIt() throws Exception {
    Topology t = Topology.parse(FILE, withStaticVipRoutes(), Map.of("LB4", 2, "LB7", 2, "S", 7));
    assertThat(t.nodesWithRole(Role.L7)).extracting(Node::name).containsExactly("LB7-1", "LB7-2");
    assertThat(t.nodesWithRole(Role.SERVER)).extracting(Node::name).endsWith("S6", "S7");
    assertThat(t.node("S7").orElseThrow().linkAddresses().getFirst().toString()).isEqualTo("2001:db8:0:4::17/64");
    assertThat(t.node("R1").orElseThrow().routes().get(2).nexthops()).extracting(Topology.Nexthop::node)
        .containsExactly("LB4-1", "LB4-2");
  }

  @Test
  void sizeOfAnUnknownGroupIsAnError() {
    assertThatThrownBy(() -> Topology.load(DEFAULT, Map.of("LB9", 2)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--size LB9=2: no group LB9")
        .hasMessageContaining("LB7");
  }

  @Test
  void sizeThatRunsIntoAnotherGroupsAddressesNamesTheLine() throws Exception {
    // LB7-18 would get 192.0.2.88, LB4-1's address.
    assertThatThrownBy(() -> Topology.load(DEFAULT, Map.of("LB7", 18)))
        .isInstanceOf(ConfigException.class)
        .hasMessageMatching(".*topology\\.yaml:" + lineOf("role: l4", 1) + ": groups\\[6\\]\\.links\\[0\\]\\.host: .*")
        .hasMessageContaining("192.0.2.88")
        .hasMessageContaining("taken by LB7-18 on fabric with --size LB7=18");
  }

  @Test
  void sizeOfASingleNodeGroupIsRefused() {
    assertThatThrownBy(() -> Topology.load(DEFAULT, Map.of("users", 2)))
        .hasMessageContaining("groups[0].pattern")
        .hasMessageContaining("{n}");
  }

  @Test
  void unknownSegmentNamesFileLineAndField() throws Exception {
    String bad = text().replace("links: [ { segment: fabric, host: 24 } ]", "links: [ { segment: fabrik, host: 24 } ]");
    assertThatThrownBy(() -> Topology.parse(FILE, bad, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("t.yaml:" + lineIn(bad, "segment: fabrik") + ": groups[6].links[0].segment: \"fabrik\"")
        .hasMessageContaining("expected one of: edge, transit, fabric, servers");
  }

  @Test
  void unknownViaIsAnError() throws Exception {
    String bad = withStaticVipRoutes().replace("- { to: vips, via: [ LB4 ] }", "- { to: vips, via: [ LB8 ] }");
    assertThatThrownBy(() -> Topology.parse(FILE, bad, Map.of()))
        .hasMessageStartingWith("t.yaml:" + lineIn(bad, "via: [ LB8 ]") + ": groups[2].routes[1].via[0]: \"LB8\"");
  }

  @Test
  void badPrefixIsReportedByTheRecord() throws Exception {
    String bad = text().replace("ipv4: 192.0.2.64/26", "ipv4: 192.0.2.65/26");
    assertThatThrownBy(() -> Topology.parse(FILE, bad, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("t.yaml:")
        .hasMessageContaining("segments[2].ipv4: \"192.0.2.65/26\" (expected: a network address");
  }

  @Test
  void segmentMtuOutsideWhatIpNeedsIsAnError() throws Exception {
    String bad = text().replace("mtu: 9000", "mtu: 1000");
    assertThatThrownBy(() -> Topology.parse(FILE, bad, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("t.yaml:" + lineIn(bad, "mtu: 1000") + ": segments[2].mtu: 1000 (expected: an integer 1280-65535)");
  }

  @Test
  void unknownRoleListsTheRoles() throws Exception {
    String bad = text().replace("role: dns", "role: resolver");
    assertThatThrownBy(() -> Topology.parse(FILE, bad, Map.of()))
        .hasMessageStartingWith("t.yaml:" + lineIn(bad, "role: resolver") + ": groups[4].role: \"resolver\"")
        .hasMessageContaining("client, router, reflector, l4, l7, server, dns");
  }

  @Test
  void overlappingSegmentsAreAnError() throws Exception {
    String bad = text().replace("ipv4: 192.0.2.8/29", "ipv4: 192.0.2.0/28");
    assertThatThrownBy(() -> Topology.parse(FILE, bad, Map.of()))
        .hasMessageContaining("segments[1].ipv4: 192.0.2.0/28 (expected: a prefix not overlapping segment edge's");
  }

  @Test
  void aRouteWithoutANextHopOfItsFamilyIsAnError() throws Exception {
    String bad = text().replace("      - { to: vips, via: [ R ] }", "      - { to: vips, via: [ R ] }\n      - { to: 198.51.100.1/32, via: [ users ] }");
    assertThatThrownBy(() -> Topology.parse(FILE, bad, Map.of()))
        .hasMessageStartingWith("t.yaml:" + lineIn(bad, "to: 198.51.100.1/32") + ": groups[1].routes[3].to: \"198.51.100.1/32\"")
        .hasMessageContaining("repeats");
    // S nodes are IPv6 only: an IPv4 route via them has no next hop.
    String noNeighbor = withStaticVipRoutes().replace("- { to: vips, via: [ LB4 ] }", "- { to: vips, via: [ S ] }");
    assertThatThrownBy(() -> Topology.parse(FILE, noNeighbor, Map.of()))
        .hasMessageContaining("groups[2].routes[1].via: [S] gives R1 no IPv4 next hop for 198.51.100.1/32");
  }

  @Test
  void unknownKeyIsAnError() throws Exception {
    String bad = text().replace("    role: client", "    role: client\n    colour: blue");
    assertThatThrownBy(() -> Topology.parse(FILE, bad, Map.of()))
        .hasMessageStartingWith("t.yaml:" + lineIn(bad, "colour: blue") + ": groups[0].colour: unknown key");
  }

  @Test
  void tooLongNodeNamesAreRefused() throws Exception {
    String bad = text().replace("pattern: \"LB4-{n}\"", "pattern: \"loadbalancer4-{n}\"");
    assertThatThrownBy(() -> Topology.parse(FILE, bad, Map.of()))
        .hasMessageContaining("groups[6].pattern: \"loadbalancer4-{n}\" makes loadbalancer4-1")
        .hasMessageContaining("at most 12 characters");
  }

  @Test
  void switchPortNamesFitInterfaceNames() throws Exception {
    for (Node n : standard().nodes()) {
      for (Topology.Interface i : n.interfaces()) {
        assertThat(i.switchPort().length()).isLessThanOrEqualTo(15);
      }
    }
    assertThat(standard().node("internet").orElseThrow().on("transit").orElseThrow().switchPort())
        .isEqualTo("internet.1");
    assertThat(standard().node("LB7-2").orElseThrow().on("servers").orElseThrow().switchPort())
        .isEqualTo("LB7-2.servers");
  }

  private static int lineIn(String text, String needle) {
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(needle)) {
        return i + 1;
      }
    }
    throw new AssertionError(needle + " not in text");
  }

  private static int lineOf(String needle, int offset) throws Exception {
    return lineIn(text(), needle) + offset;
  }
}
