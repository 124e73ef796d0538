package org.example.lb.l4.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.example.lb.l4.forward.ClientPackets.SYN;
import static org.example.lb.l4.forward.Lab.VIP4;
import static org.example.lb.l4.forward.Lab.VIP6;
import static org.example.lb.l4.forward.Lab.director;
import static org.example.lb.l4.forward.Lab.lb7;
import static org.example.lb.l4.forward.Lab.lb7Of;
import static org.example.lb.l4.forward.Lab.state;
import static org.example.lb.l4.forward.Lab.tcp4;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  private static Map<String, Integer> newFlows(Forwarder f, ForwardingState s, int from, int count) {
    Map<String, Integer> perLb7 = new HashMap<>();
    for (int i = from; i < from + count; i++) {
      perLb7.merge(lb7Of(f, s, tcp4(i, SYN)), 1, Integer::sum);
    }
    return perLb7;
  }

  @Test
  void roundRobinCyclesThroughUpBackendsInNameOrder() {
    ForwardingState rr = state(SchedulerKind.RR, Optional.empty(), lb7("c"), lb7("a"),
        lb7("d", BackendState.DRAINING), lb7("e").withWeight(0), lb7("f", BackendState.DOWN), lb7("b"));
    Forwarder f = director();
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      order.add(lb7Of(f, rr, tcp4(i, SYN)));
    }
    assertThat(order).containsExactly("a", "b", "c", "a", "b", "c", "a");
  }

  @Test
  void weightedRoundRobinIsProportionalToWeightsAndInterleaved() {
    ForwardingState wrr = state(SchedulerKind.WRR, Optional.empty(), lb7("a"), lb7("b").withWeight(2),
        lb7("c").withWeight(3));
    Forwarder f = director();

    assertThat(newFlows(f, wrr, 0, 6)).as("one cycle").containsExactlyInAnyOrderEntriesOf(
        Map.of("a", 1, "b", 2, "c", 3));
    assertThat(newFlows(f, wrr, 6, 600)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 100, "b", 200, "c", 300));
  }

  @Test
  void leastConnectionsPicksTheBackendWithFewestFlows() {
    ForwardingState two = state(SchedulerKind.LC, Optional.empty(), lb7("a"), lb7("b"));
    Forwarder f = director();
    assertThat(newFlows(f, two, 0, 10)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 5, "b", 5));

    ForwardingState three = state(SchedulerKind.LC, Optional.of(two), lb7("a"), lb7("b"), lb7("c"));
    assertThat(newFlows(f, three, 10, 5)).as("c has none yet").containsExactly(Map.entry("c", 5));
    assertThat(newFlows(f, three, 15, 3)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 1, "c", 1));
  }

  @Test
  void weightedLeastConnectionsPicksFewestFlowsPerWeight() {
    ForwardingState wlc = state(SchedulerKind.WLC, Optional.empty(), lb7("a"), lb7("b").withWeight(3));
    Forwarder f = director();

    assertThat(newFlows(f, wlc, 0, 40)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 10, "b", 30));
  }

  @Test
  void sourceAndDestinationHashingAreIdenticalWhateverTheOrder() {
    for (SchedulerKind kind : List.of(SchedulerKind.SH, SchedulerKind.DH)) {
      ForwardingState one = state(kind, Optional.empty(), lb7("a"), lb7("b"), lb7("c"), lb7("d"));
      ForwardingState history = state(kind, Optional.empty(), lb7("z"), lb7("d"), lb7("c"));
      ForwardingState other = state(kind, Optional.of(history), lb7("d"), lb7("c"), lb7("b"), lb7("a"));
      assertThat(other.slot("a")).as("different slot numbers").isNotEqualTo(one.slot("a"));
      Forwarder f1 = director();
      Forwarder f2 = director();
      for (int i = 0; i < 300; i++) {
        assertThat(lb7Of(f2, other, tcp4(i, SYN))).as("%s flow %d", kind, i).isEqualTo(lb7Of(f1, one, tcp4(i, SYN)));
      }
    }
  }

  @Test
  void sourceHashingKeepsAClientOnOneLb7AndSpreadsClients() {
    ForwardingState sh = state(SchedulerKind.SH, Optional.empty(), lb7("a"), lb7("b"), lb7("c"));
    Forwarder f = director();
    Set<String> used = new HashSet<>();
    for (int client = 1; client <= 30; client++) {
      Set<String> perClient = new HashSet<>();
      for (int port = 0; port < 10; port++) {
        perClient.add(lb7Of(f, sh, ClientPackets.tcp("203.0.113." + client, 20000 + port, VIP4, 443, SYN)));
      }
      assertThat(perClient).hasSize(1);
      used.addAll(perClient);
    }
    assertThat(used).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void sourceHashingFollowsTheWeights() {
    ForwardingState sh = state(SchedulerKind.SH, Optional.empty(), lb7("a"), lb7("b").withWeight(3));
    Forwarder f = director();
    Random random = new Random(7);
    int onA = 0;
    int clients = 8000;
    for (int i = 0; i < clients; i++) {
      String client = "2001:db8:c::" + Integer.toHexString(random.nextInt(1 << 16)) + ":"
          + Integer.toHexString(random.nextInt(1 << 16));
      onA += lb7Of(f, sh, ClientPackets.tcp(client, 1000, VIP6, 443, SYN)).equals("a") ? 1 : 0;
    }
    assertThat((double) onA / clients).isBetween(0.22, 0.28);
  }

  @Test
  void destinationHashingSendsEveryFlowOfAVipToOneLb7() {
    ForwardingState dh = state(SchedulerKind.DH, Optional.empty(), lb7("a"), lb7("b"), lb7("c"));
    Forwarder f = director();
    Set<String> forVip4 = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      forVip4.add(lb7Of(f, dh, tcp4(i, SYN)));
    }
    assertThat(forVip4).hasSize(1);
  }

  @Test
  void perWorkerSchedulersAreNotConsistentButConsistentOnesAre() {
    assertThat(SchedulerKind.MAGLEV.consistentAcrossDirectors()).isTrue();
    assertThat(SchedulerKind.SH.consistentAcrossDirectors()).isTrue();
    assertThat(SchedulerKind.DH.consistentAcrossDirectors()).isTrue();
    for (SchedulerKind kind : List.of(SchedulerKind.RR, SchedulerKind.WRR, SchedulerKind.LC, SchedulerKind.WLC)) {
      assertThat(kind.consistentAcrossDirectors()).as(kind.toString()).isFalse();
    }
  }
}
