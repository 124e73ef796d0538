package org.example.lb.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.example.lb.lab.netns.LabNetwork;
import org.example.lb.lab.topology.Topology;
import org.junit.jupiter.api.Test;

/** The ip(8) commands the lab runs, checked without running them. */
class LabNetworkCommandsTest {
  private static final Path DEFAULT = Path.of(System.getProperty("repo.root", ".."), "lab/topology.yaml");

  @Test
  void vethsAreCreatedFromTheSwitchStraightIntoTheNode() throws Exception {
    Topology t = Topology.load(DEFAULT, Map.of());
    assertThat(LabNetwork.switchCommands(t)).contains(
        "link add br-fabric mtu 9000 type bridge stp_state 0 forward_delay 0 mcast_snooping 0",
        "link add br-edge mtu 1500 type bridge stp_state 0 forward_delay 0 mcast_snooping 0",
        "link add LB7-1.fabric mtu 9000 type veth peer name fabric mtu 9000 netns LB7-1",
        "link set LB7-1.fabric master br-fabric");
  }

  @Test
  void nodeCommandsAddIpv6WithoutDadAndMultipathRoutes() throws Exception {
    Topology t = Topology.load(DEFAULT, Map.of());
    assertThat(LabNetwork.nodeCommands(t.node("LB7-2").orElseThrow())).containsSubsequence(
        "link set lo up",
        "address add 2001:db8::c633:6401/128 dev lo nodad",
        "address add 192.0.2.72/26 dev fabric",
        "address add 2001:db8:0:3::72/64 dev fabric nodad",
        "link set fabric up",
        "route add 0.0.0.0/0 nexthop via 192.0.2.65 dev fabric nexthop via 192.0.2.66 dev fabric",
        "route add ::/0 nexthop via 2001:db8:0:3::65 dev fabric nexthop via 2001:db8:0:3::66 dev fabric");
    assertThat(LabNetwork.nodeCommands(t.node("users").orElseThrow()))
        .contains("route add 0.0.0.0/0 via 192.0.2.2 dev edge", "route add ::/0 via 2001:db8:0:1::2 dev edge");
  }

  @Test
  void routersForwardAndHashOnPorts() throws Exception {
    Topology t = Topology.load(DEFAULT, Map.of());
    assertThat(LabNetwork.sysctls(t.node("R1").orElseThrow())).containsEntry("net.ipv4.ip_forward", "1")
        .containsEntry("net.ipv6.conf.all.forwarding", "1").containsEntry("net.ipv4.fib_multipath_hash_policy", "3")
        .containsEntry("net.ipv6.fib_multipath_hash_policy", "3").containsEntry("net.ipv4.fib_multipath_hash_fields", "0x37")
        .containsEntry("net.ipv6.fib_multipath_hash_fields", "0x37")
        .containsEntry("net.ipv6.conf.all.accept_ra", "0");
    assertThat(LabNetwork.sysctls(t.node("S1").orElseThrow())).doesNotContainKey("net.ipv4.ip_forward")
        .containsEntry("net.ipv6.conf.default.accept_dad", "0");
  }
}
