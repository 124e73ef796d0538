package org.example.lb.l4.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.example.lb.l4.forward.ClientPackets.ACK;
import static org.example.lb.l4.forward.ClientPackets.FIN_ACK;
import static org.example.lb.l4.forward.ClientPackets.PSH_ACK;
import static org.example.lb.l4.forward.ClientPackets.RST;
import static org.example.lb.l4.forward.ClientPackets.SYN;
import static org.example.lb.l4.forward.Lab.SECOND;
import static org.example.lb.l4.forward.Lab.T0;
import static org.example.lb.l4.forward.Lab.VIP4;
import static org.example.lb.l4.forward.Lab.VIP6;
import static org.example.lb.l4.forward.Lab.director;
import static org.example.lb.l4.forward.Lab.flowsOf;
import static org.example.lb.l4.forward.Lab.forward;
import static org.example.lb.l4.forward.Lab.lb7;
import static org.example.lb.l4.forward.Lab.lb7Of;
import static org.example.lb.l4.forward.Lab.maglev;
import static org.example.lb.l4.forward.Lab.state;
import static org.example.lb.l4.forward.Lab.tcp4;
import static org.example.lb.l4.forward.Lab.tcp6;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.example.lb.l4.packet.NetworkOrder;
import org.example.lb.l4.packet.TestPackets;
import org.example.lb.l4.packet.Verdict;
import org.junit.jupiter.api.Test;

class ForwarderTest {
  private static final int FLOWS = 300;

  /** Opens FLOWS TCP flows (SYN) on {@code f} and returns flow index → LB7. */
  private static Map<Integer, String> openFlows(Forwarder f, ForwardingState s) {
    Map<Integer, String> owners = new HashMap<>();
    for (int i = 0; i < FLOWS; i++) {
      owners.put(i, lb7Of(f, s, tcp4(i, SYN)));
    }
    assertThat(new HashSet<>(owners.values())).as("flows spread over the LB7s").hasSize(s.backends().size());
    return owners;
  }

  @Test
  void drainKeepsEstablishedFlows() {
    Forwarder f = director();
    ForwardingState before = maglev(lb7("a"), lb7("b"), lb7("c"));
    Map<Integer, String> owners = openFlows(f, before);
    int onB = flowsOf(f, before, "b");

    ForwardingState draining = state(SchedulerKind.MAGLEV, Optional.of(before),
        lb7("a"), lb7("b", BackendState.DRAINING), lb7("c"));

    for (int i = 0; i < FLOWS; i++) {
      assertThat(lb7Of(f, draining, tcp4(i, PSH_ACK))).as("flow %d", i).isEqualTo(owners.get(i));
    }
    assertThat(flowsOf(f, draining, "b")).isEqualTo(onB).isPositive();
    for (int i = FLOWS; i < 3 * FLOWS; i++) {
      assertThat(lb7Of(f, draining, tcp4(i, SYN))).as("new flow %d", i).isNotEqualTo("b");
    }
    assertThat(draining.tableEntries("b")).isZero();
  }

  @Test
  void deadBackendLosesFlowsToRescheduling() {
    Forwarder f = director();
    ForwardingState before = maglev(lb7("a"), lb7("b"), lb7("c"));
    Map<Integer, String> owners = openFlows(f, before);

    ForwardingState bDown = state(SchedulerKind.MAGLEV, Optional.of(before),
        lb7("a"), lb7("b", BackendState.DOWN), lb7("c"));

    for (int i = 0; i < FLOWS; i++) {
      String now = lb7Of(f, bDown, tcp4(i, PSH_ACK));
      if (owners.get(i).equals("b")) {
        assertThat(now).as("flow %d of the dead LB7", i).isIn("a", "c");
      } else {
        assertThat(now).as("flow %d", i).isEqualTo(owners.get(i));
      }
    }
    assertThat(flowsOf(f, bDown, "b")).isZero();
    assertThat(flowsOf(f, bDown, "a") + flowsOf(f, bDown, "c")).isEqualTo(FLOWS);
  }

  @Test
  void existingFlowsStayWhenBackendAdded() {
    Forwarder f = director();
    ForwardingState before = maglev(lb7("a"), lb7("b"), lb7("c"));
    Map<Integer, String> owners = openFlows(f, before);

    ForwardingState withD = state(SchedulerKind.MAGLEV, Optional.of(before), lb7("d"), lb7("a"), lb7("b"), lb7("c"));

    Forwarder fresh = director();
    int wouldMove = 0;
    for (int i = 0; i < FLOWS; i++) {
      assertThat(lb7Of(f, withD, tcp4(i, PSH_ACK))).as("flow %d", i).isEqualTo(owners.get(i));
      wouldMove += lb7Of(fresh, withD, tcp4(i, SYN)).equals("d") ? 1 : 0;
    }
    assertThat(wouldMove).as("flows the new table gives to d (kept by the flow table)").isPositive();
  }

  @Test
  void removedBackendIsLikeDownEvenWhenANewNameTakesItsSlot() {
    Forwarder f = director();
    ForwardingState before = maglev(lb7("a"), lb7("b"), lb7("c"));
    Map<Integer, String> owners = openFlows(f, before);

    ForwardingState bReplaced = state(SchedulerKind.MAGLEV, Optional.of(before), lb7("a"), lb7("c"), lb7("e"));
    assertThat(bReplaced.slot("e")).as("e reuses b's slot").isEqualTo(before.slot("b"));

    Forwarder reference = director();
    Set<String> bFlowsNowOn = new HashSet<>();
    int onE = 0;
    for (int i = 0; i < FLOWS; i++) {
      String now = lb7Of(f, bReplaced, tcp4(i, PSH_ACK));
      if (owners.get(i).equals("b")) {
        bFlowsNowOn.add(now);
        assertThat(now).as("rescheduled like an unknown flow").isEqualTo(lb7Of(reference, bReplaced, tcp4(i, ACK)));
      } else {
        assertThat(now).isEqualTo(owners.get(i));
      }
      onE += now.equals("e") ? 1 : 0;
    }
    assertThat(bFlowsNowOn).as("b's flows were not handed to e wholesale").contains("a", "c");
    assertThat(flowsOf(f, bReplaced, "e")).isEqualTo(onE);
  }

  @Test
  void unknownNonSynPacketLandsOnTheSameLb7OnEveryDirector() {
    // Director A: a history of changes; director B: started later with the final set in another order.
    ForwardingState a1 = maglev(lb7("z"), lb7("c"), lb7("b"));
    ForwardingState a2 = state(SchedulerKind.MAGLEV, Optional.of(a1), lb7("a"), lb7("b"), lb7("c"), lb7("d"));
    ForwardingState b1 = maglev(lb7("d"), lb7("c"), lb7("b"), lb7("a"));
    assertThat(a2.slot("a")).as("different slot numbers").isNotEqualTo(b1.slot("a"));
    Forwarder directorA = director();
    Forwarder directorB = director();
    openFlows(directorA, a1); // A has unrelated history in its flow table

    for (int i = FLOWS; i < 2 * FLOWS; i++) {
      String onA = lb7Of(directorA, a2, tcp4(i, SYN));
      assertThat(lb7Of(directorB, b1, tcp4(i, PSH_ACK))).as("flow %d moved from A to B", i).isEqualTo(onA);
      String v6OnA = lb7Of(directorA, a2, tcp6(i, SYN));
      assertThat(lb7Of(directorB, b1, tcp6(i, ACK))).as("IPv6 flow %d", i).isEqualTo(v6OnA);
    }
  }

  @Test
  void unknownNonSynPacketsAgreeAcrossDirectorsWhateverTheScheduler() {
    for (SchedulerKind kind : SchedulerKind.values()) {
      ForwardingState s1 = state(kind, Optional.empty(), lb7("a"), lb7("b"), lb7("c"));
      ForwardingState s2 = state(kind, Optional.empty(), lb7("c"), lb7("a"), lb7("b"));
      Forwarder one = director();
      Forwarder two = director();
      for (int i = 0; i < FLOWS; i++) {
        lb7Of(two, s2, tcp4(i, SYN)); // different histories: two's scheduler state has moved on
      }
      Set<String> used = new HashSet<>();
      for (int i = FLOWS; i < 2 * FLOWS; i++) {
        String first = lb7Of(one, s1, tcp4(i, ACK));
        assertThat(lb7Of(two, s2, tcp4(i, ACK))).as("%s flow %d", kind, i).isEqualTo(first);
        used.add(first);
      }
      assertThat(used).as(kind.toString()).isNotEmpty();
    }
  }

  @Test
  void drainingLb7StillGetsMovedFlowsMidStream() {
    ForwardingState before = maglev(lb7("a"), lb7("b"), lb7("c"));
    Forwarder directorA = director();
    Map<Integer, String> owners = openFlows(directorA, before);

    // b drains; ECMP then moves every flow to director B, which has never seen them
    ForwardingState onB = maglev(lb7("a"), lb7("b", BackendState.DRAINING), lb7("c"));
    Forwarder directorB = director();
    for (int i = 0; i < FLOWS; i++) {
      assertThat(lb7Of(directorB, onB, tcp4(i, PSH_ACK))).as("flow %d", i).isEqualTo(owners.get(i));
    }
    for (int i = FLOWS; i < 2 * FLOWS; i++) {
      assertThat(lb7Of(directorB, onB, tcp4(i, SYN))).as("new flow %d", i).isNotEqualTo("b");
    }
  }

  @Test
  void withEveryLb7DrainingNewFlowsHaveNoBackendButMovedFlowsStillArrive() {
    ForwardingState draining = maglev(lb7("a", BackendState.DRAINING), lb7("b", BackendState.DRAINING));
    Forwarder f = director();

    assertThat(forward(f, draining, tcp4(1, SYN), T0)).isEqualTo(Verdict.NO_BACKEND.code());
    assertThat(forward(f, draining, ClientPackets.udp("203.0.113.1", 5353, VIP4, 53, 10), T0))
        .isEqualTo(Verdict.NO_BACKEND.code());
    assertThat(lb7Of(f, draining, tcp4(2, ACK))).isIn("a", "b");
    assertThat(f.counters().get(Verdict.NO_BACKEND)).isEqualTo(2);

    ForwardingState allDown = maglev(lb7("a", BackendState.DOWN), lb7("b", BackendState.DOWN));
    assertThat(forward(f, allDown, tcp4(2, ACK), T0)).isEqualTo(Verdict.NO_BACKEND.code());
    assertThat(forward(f, maglev(), tcp4(3, SYN), T0)).as("no LB7 at all").isEqualTo(Verdict.NO_BACKEND.code());
  }

  @Test
  void sourceHashKeyKeepsAClientOnOneBackend() {
    ForwardingState s = ForwardingState.build(Optional.empty(), SchedulerKind.MAGLEV, HashKey.SOURCE, 65537,
        Lab.SERVICES, java.util.List.of(lb7("a"), lb7("b"), lb7("c"), lb7("d")));
    Forwarder f = director();
    Set<String> allClients = new HashSet<>();
    for (int client = 1; client <= 40; client++) {
      Set<String> perClient = new HashSet<>();
      for (int port = 0; port < 20; port++) {
        perClient.add(lb7Of(f, s, ClientPackets.tcp("203.0.113." + client, 20000 + port, VIP4, 443, SYN)));
        perClient.add(lb7Of(f, s, ClientPackets.tcp("203.0.113." + client, 30000 + port, VIP4, 443, ACK)));
      }
      assertThat(perClient).as("client %d", client).hasSize(1);
      allClients.addAll(perClient);
    }
    assertThat(allClients).as("clients spread over the LB7s").hasSizeGreaterThan(1);
  }

  @Test
  void packetsToUnknownServiceAreDroppedAndCounted() {
    Forwarder f = director();
    ForwardingState s = maglev(lb7("a"));

    assertThat(forward(f, s, ClientPackets.tcp("203.0.113.1", 1000, VIP4, 80, SYN), T0))
        .as("other port").isEqualTo(Verdict.NOT_A_SERVICE.code());
    assertThat(forward(f, s, ClientPackets.udp("203.0.113.1", 1000, VIP4, 443, 4), T0))
        .as("other protocol").isEqualTo(Verdict.NOT_A_SERVICE.code());
    assertThat(forward(f, s, ClientPackets.tcp("203.0.113.1", 1000, "192.0.2.99", 443, SYN), T0))
        .as("other address").isEqualTo(Verdict.NOT_A_SERVICE.code());
    assertThat(forward(f, s, ClientPackets.ip("203.0.113.1", VIP4, 1, new byte[] {8, 0, 0, 0, 0, 0, 0, 0}), T0))
        .as("ICMP echo").isEqualTo(Verdict.NOT_A_SERVICE.code());
    assertThat(forward(f, s, ClientPackets.tcp("2001:db8:c::1", 1000, VIP6, 80, SYN), T0))
        .as("IPv6, other port").isEqualTo(Verdict.NOT_A_SERVICE.code());
    assertThat(lb7Of(f, s, ClientPackets.udp("2001:db8:c::1", 1000, VIP6, 4433, 4))).as("port 0: any").isEqualTo("a");
    assertThat(lb7Of(f, s, ClientPackets.udp("2001:db8:c::1", 1000, VIP6, 1, 4))).isEqualTo("a");

    assertThat(f.counters().get(Verdict.NOT_A_SERVICE)).isEqualTo(5);
    assertThat(f.counters().get(Verdict.OK)).isEqualTo(2);
    assertThat(f.flows().size()).as("no flow for a dropped packet").isEqualTo(2);
  }

  @Test
  void malformedAndExpiringPacketsAreCountedUnderTheirParseVerdict() {
    Forwarder f = director();
    ForwardingState s = maglev(lb7("a"));
    TestPackets.Ipv4 ttl1 = new TestPackets.Ipv4();
    ttl1.dst = ClientPackets.address(VIP4);
    ttl1.ttl = 1;
    ByteBuffer expiring = TestPackets.inBuffer(ttl1.build());

    assertThat(forward(f, s, expiring, T0)).isEqualTo(Verdict.TTL_EXPIRED.code());
    assertThat(f.forward(s, expiring, TestPackets.HEADROOM, 3, T0)).isEqualTo(Verdict.TRUNCATED.code());
    assertThat(f.counters().get(Verdict.TTL_EXPIRED)).isEqualTo(1);
    assertThat(f.counters().get(Verdict.TRUNCATED)).isEqualTo(1);
  }

  @Test
  void tunnelPacketCarriesTheUnchangedClientPacketToTheLb7() {
    Forwarder f = director();
    ForwardingState s = maglev(lb7("a"));
    ByteBuffer packet = tcp4(7, SYN);
    String inner = TestPackets.hex(packet, TestPackets.HEADROOM, ClientPackets.length(packet));

    assertThat(lb7Of(f, s, packet)).isEqualTo("a");

    int o = f.outputStart();
    assertThat(f.outputLength()).isEqualTo(20 + ClientPackets.length(packet));
    assertThat(f.destination().address()).isEqualTo(Lab.addr("198.51.100.1"));
    assertThat(NetworkOrder.u8(packet, o)).isEqualTo(0x45);
    assertThat(NetworkOrder.u8(packet, o + 9)).as("IPIP").isEqualTo(4);
    assertThat(TestPackets.hex(packet, o + 12, 4)).as("director").isEqualTo("c63364fa");
    assertThat(TestPackets.hex(packet, o + 16, 4)).as("LB7").isEqualTo("c6336401");
    assertThat(TestPackets.hex(packet, o + 20, f.outputLength() - 20)).isEqualTo(inner);
  }

  @Test
  void lb7WithoutTheInnerFamilyIsReachedOverTheOtherFamily() {
    Forwarder f = director();
    ForwardingState s = maglev(BackendSpec.up("v6only", null, Lab.addr("2001:db8:7::9")),
        BackendSpec.up("w4only", Lab.addr("198.51.100.9"), null));
    int v4over6 = 0;
    int v6over4 = 0;
    for (int i = 0; i < 50; i++) {
      ByteBuffer p4 = tcp4(i, SYN);
      if (lb7Of(f, s, p4).equals("v6only")) {
        v4over6++;
        assertThat(f.destination().address()).isEqualTo(Lab.addr("2001:db8:7::9"));
        assertThat(NetworkOrder.u8(p4, f.outputStart()) >>> 4).isEqualTo(6);
        assertThat(NetworkOrder.u8(p4, f.outputStart() + 6)).as("next header: IPv4").isEqualTo(4);
      }
      ByteBuffer p6 = tcp6(i, SYN);
      if (lb7Of(f, s, p6).equals("w4only")) {
        v6over4++;
        assertThat(f.destination().address()).isEqualTo(Lab.addr("198.51.100.9"));
        assertThat(NetworkOrder.u8(p6, f.outputStart() + 9)).as("protocol: IPv6").isEqualTo(41);
      }
    }
    assertThat(v4over6).isPositive();
    assertThat(v6over4).isPositive();
  }

  @Test
  void lb7OutOfTheDirectorsFamiliesIsACountedDrop() {
    Forwarder ipv4Only = Forwarder.create(0, WorkerSettings.defaults()
        .withSources(Optional.of(Lab.DIRECTOR4), Optional.empty()));
    ForwardingState s = maglev(BackendSpec.up("v6only", null, Lab.addr("2001:db8:7::9")));

    assertThat(forward(ipv4Only, s, tcp4(1, SYN), T0)).isEqualTo(Verdict.NO_TUNNEL_ADDRESS.code());
    assertThat(forward(ipv4Only, s, tcp6(1, SYN), T0)).isEqualTo(Verdict.NO_TUNNEL_ADDRESS.code());
    assertThat(ipv4Only.counters().get(Verdict.NO_TUNNEL_ADDRESS)).isEqualTo(2);
    assertThat(ipv4Only.flows().size()).isZero();
  }

  @Test
  void tooBigGetsRateLimitedIcmp() {
    WorkerSettings small = new WorkerSettings(1024, Duration.ofSeconds(900), Duration.ofSeconds(120),
        Duration.ofSeconds(30), 576, Optional.of(Lab.DIRECTOR4), Optional.of(Lab.DIRECTOR6), 2);
    Forwarder f = Forwarder.create(0, small);
    ForwardingState s = maglev(lb7("a"));
    ByteBuffer big = ClientPackets.tcp("203.0.113.5", 40000, VIP4, 443, ACK, 600);

    assertThat(forward(f, s, big, T0)).isEqualTo(Verdict.TOO_BIG.code());
    ByteBuffer icmp = f.icmpBuffer();
    assertThat(f.icmpLength()).isEqualTo(576);
    assertThat(NetworkOrder.u8(icmp, 9)).as("ICMP").isEqualTo(1);
    assertThat(TestPackets.hex(icmp, 12, 4)).as("from the VIP").isEqualTo("c000020a");
    assertThat(TestPackets.hex(icmp, 16, 4)).as("to the client").isEqualTo("cb007105");
    assertThat(NetworkOrder.u8(icmp, 20)).as("type").isEqualTo(3);
    assertThat(NetworkOrder.u8(icmp, 21)).as("code: fragmentation needed").isEqualTo(4);
    assertThat(NetworkOrder.u16(icmp, 26)).as("next-hop MTU").isEqualTo(576 - 20);
    assertThat(forward(f, s, big, T0 + 1)).isEqualTo(Verdict.TOO_BIG.code());
    assertThat(f.icmpLength()).as("second of the burst of 2").isPositive();
    assertThat(forward(f, s, big, T0 + 2)).isEqualTo(Verdict.TOO_BIG.code());
    assertThat(f.icmpLength()).as("rate-limited").isZero();
    assertThat(forward(f, s, big, T0 + SECOND / 2)).isEqualTo(Verdict.TOO_BIG.code());
    assertThat(f.icmpLength()).as("a token after 500 ms").isPositive();
    assertThat(forward(f, s, big, T0 + SECOND / 2 + 1)).isEqualTo(Verdict.TOO_BIG.code());
    assertThat(f.icmpLength()).isZero();
    assertThat(f.counters().get(Verdict.TOO_BIG)).isEqualTo(5);

    ByteBuffer big6 = ClientPackets.tcp("2001:db8:c::5", 40000, VIP6, 443, ACK, 600);
    assertThat(forward(f, s, big6, T0 + 10 * SECOND)).isEqualTo(Verdict.TOO_BIG.code());
    assertThat(NetworkOrder.u8(f.icmpBuffer(), 6)).as("ICMPv6").isEqualTo(58);
    assertThat(NetworkOrder.u8(f.icmpBuffer(), 40)).as("Packet Too Big").isEqualTo(2);
    assertThat(forward(f, s, ClientPackets.tcp("203.0.113.5", 40001, VIP4, 443, ACK, 100), T0))
        .as("small packets pass").isEqualTo(Verdict.OK.code());
  }

  @Test
  void idleUdpFlowIsForgottenAfterItsTimeout() {
    Forwarder f = director();
    ForwardingState rr = state(SchedulerKind.RR, Optional.empty(), lb7("a"), lb7("b"), lb7("c"));
    ByteBuffer flow = ClientPackets.udp("203.0.113.1", 5000, VIP4, 53, 10);

    assertThat(lb7Of(f, rr, flow, T0)).isEqualTo("a");
    assertThat(lb7Of(f, rr, ClientPackets.udp("203.0.113.2", 5000, VIP4, 53, 10), T0)).isEqualTo("b");
    assertThat(lb7Of(f, rr, flow, T0 + 29 * SECOND)).as("seen within 30 s").isEqualTo("a");
    assertThat(f.expire(T0 + 59 * SECOND - 1)).as("the other flow idled out").isEqualTo(1);
    assertThat(lb7Of(f, rr, flow, T0 + 59 * SECOND)).as("idle 30 s: a new flow, next in turn").isEqualTo("c");
    assertThat(f.flows().size()).isEqualTo(1);
  }

  @Test
  void finOrRstShortensTheTcpTimeout() {
    Forwarder f = director();
    ForwardingState s = maglev(lb7("a"), lb7("b"));
    lb7Of(f, s, tcp4(1, SYN), T0);
    lb7Of(f, s, tcp4(2, SYN), T0);
    lb7Of(f, s, tcp4(3, SYN), T0);
    lb7Of(f, s, tcp4(1, FIN_ACK), T0 + SECOND);
    lb7Of(f, s, tcp4(2, RST), T0 + SECOND);
    lb7Of(f, s, tcp4(1, ACK), T0 + 2 * SECOND); // the rest of the close keeps the short timeout

    assertThat(f.expire(T0 + 121 * SECOND)).as("RST'd flow, 120 s after its RST").isEqualTo(1);
    assertThat(f.expire(T0 + 122 * SECOND)).as("FIN'd flow, 120 s after its last packet").isEqualTo(1);
    assertThat(f.expire(T0 + 900 * SECOND - 1)).as("open flow").isZero();
    assertThat(f.expire(T0 + 900 * SECOND)).isEqualTo(1);
  }

  @Test
  void configuredTimeoutsApply() {
    WorkerSettings quick = new WorkerSettings(64, Duration.ofSeconds(10), Duration.ofSeconds(2),
        Duration.ofSeconds(1), 1500, Optional.of(Lab.DIRECTOR4), Optional.empty(), 10);
    Forwarder f = Forwarder.create(1, quick);
    ForwardingState s = maglev(lb7("a"));
    lb7Of(f, s, tcp4(1, SYN), T0);
    lb7Of(f, s, tcp4(2, SYN), T0);
    lb7Of(f, s, tcp4(2, FIN_ACK), T0);
    lb7Of(f, s, ClientPackets.udp("203.0.113.1", 5000, VIP4, 53, 1), T0);

    assertThat(f.expire(T0 + SECOND)).as("UDP").isEqualTo(1);
    assertThat(f.expire(T0 + 2 * SECOND)).as("closing TCP").isEqualTo(1);
    assertThat(f.expire(T0 + 10 * SECOND)).as("open TCP").isEqualTo(1);
  }

  @Test
  void synOnAClosingFlowIsANewConnection() {
    Forwarder f = director();
    ForwardingState rr = state(SchedulerKind.RR, Optional.empty(), lb7("a"), lb7("b"));

    assertThat(lb7Of(f, rr, tcp4(1, SYN))).isEqualTo("a");
    assertThat(lb7Of(f, rr, tcp4(1, SYN))).as("a retransmitted SYN stays").isEqualTo("a");
    assertThat(lb7Of(f, rr, tcp4(1, FIN_ACK))).isEqualTo("a");
    assertThat(lb7Of(f, rr, tcp4(1, SYN))).as("port reuse after close: scheduled anew").isEqualTo("b");
    assertThat(flowsOf(f, rr, "a")).isZero();
    assertThat(flowsOf(f, rr, "b")).isEqualTo(1);
  }

  @Test
  void fullFlowTableEvictsTheLeastRecentlySeenFlow() {
    WorkerSettings tiny = new WorkerSettings(4, Duration.ofSeconds(900), Duration.ofSeconds(120),
        Duration.ofSeconds(30), 1500, Optional.of(Lab.DIRECTOR4), Optional.empty(), 10);
    Forwarder f = Forwarder.create(0, tiny);
    ForwardingState rr = state(SchedulerKind.RR, Optional.empty(), lb7("a"), lb7("b"), lb7("c"));
    for (int i = 0; i < 4; i++) {
      lb7Of(f, rr, tcp4(i, SYN), T0 + i);
    }
    lb7Of(f, rr, tcp4(0, ACK), T0 + 10); // flow 1 is now the least recently seen
    lb7Of(f, rr, tcp4(4, SYN), T0 + 11);

    assertThat(f.flows().size()).isEqualTo(4);
    assertThat(f.flows().evictions()).isEqualTo(1);
    assertThat(flowsOf(f, rr, "a") + flowsOf(f, rr, "b") + flowsOf(f, rr, "c")).isEqualTo(4);
    assertThat(lb7Of(f, rr, tcp4(0, ACK), T0 + 12)).as("flow 0 kept").isEqualTo("a");
  }
}
