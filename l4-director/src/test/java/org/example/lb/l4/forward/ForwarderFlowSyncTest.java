package org.example.lb.l4.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.example.lb.l4.forward.ClientPackets.ACK;
import static org.example.lb.l4.forward.ClientPackets.SYN;
import static org.example.lb.l4.forward.Lab.SECOND;
import static org.example.lb.l4.forward.Lab.T0;
import static org.example.lb.l4.forward.Lab.VIP4;
import static org.example.lb.l4.forward.Lab.director;
import static org.example.lb.l4.forward.Lab.forward;
import static org.example.lb.l4.forward.Lab.lb7;
import static org.example.lb.l4.forward.Lab.lb7Of;
import static org.example.lb.l4.forward.Lab.maglev;
import static org.example.lb.l4.forward.Lab.tcp4;

import java.time.Duration;
import java.util.Optional;
import org.example.lb.l4.flow.FlowOutbox;
import org.example.lb.l4.flow.PeerFlows;
import org.junit.jupiter.api.Test;

/**
 * The forwarder's side of flow sync: director A pins flows and queues them; director B, which has its own state
 * (here with an LB7 that joined since), gets their mid-flow packets after ECMP moved them.
 */
class ForwarderFlowSyncTest {
  private static final Duration REFRESH = Duration.ofSeconds(10);
  private static final int FLOWS = 200;

  private final FlowOutbox outbox = FlowOutbox.create(1024);
  private final PeerFlows peers = PeerFlows.create(1024);
  private final Forwarder a = Forwarder.create(0, Lab.settings(),
      new FlowSharing(Optional.of(outbox), Optional.empty(), REFRESH));
  private final Forwarder b = Forwarder.create(0, Lab.settings(),
      new FlowSharing(Optional.empty(), Optional.of(peers), REFRESH));
  private final ForwardingState atA = maglev(lb7("a"), lb7("b"), lb7("c"));

  /** What FlowSync does between the two: A's outbox → names → B's slots → B's peer flows. */
  private int sync(ForwardingState atB) {
    return outbox.drain((sHi, sLo, dHi, dLo, portPair, proto, slot, generation) -> {
      int there = atB.slot(atA.nameOf(slot, generation));
      peers.put(sHi, sLo, dHi, dLo, portPair, proto, there, atB.generationOf(there), T0 + 30 * SECOND);
    });
  }

  @Test
  void aMovedFlowKeepsTheLb7APeerPinnedItToAfterAnLb7Joined() {
    String[] pinned = new String[FLOWS];
    for (int i = 0; i < FLOWS; i++) {
      pinned[i] = lb7Of(a, atA, tcp4(i, SYN), T0);
    }
    ForwardingState atB = maglev(lb7("a"), lb7("b"), lb7("c"), lb7("d"));
    assertThat(sync(atB)).isEqualTo(FLOWS);

    Forwarder withoutSync = director();
    int movedWithoutSync = 0;
    for (int i = 0; i < FLOWS; i++) {
      assertThat(lb7Of(b, atB, tcp4(i, ACK), T0 + SECOND)).as("flow %d", i).isEqualTo(pinned[i]);
      if (!lb7Of(withoutSync, atB, tcp4(i, ACK), T0 + SECOND).equals(pinned[i])) {
        movedWithoutSync++;
      }
    }
    assertThat(movedWithoutSync).as("flows the mid-flow table alone sends elsewhere (d's new share)")
        .isBetween(FLOWS / 8, FLOWS / 2);
    assertThat(b.peerHits()).isEqualTo(FLOWS);
    assertThat(b.flows().size()).as("B pins them from then on").isEqualTo(FLOWS);
  }

  @Test
  void aPeersFlowWhoseLb7IsDownGoesByTheMidFlowTable() {
    String first = lb7Of(a, atA, tcp4(0, SYN), T0);
    ForwardingState atB = maglev(lb7("a"), lb7("b"), lb7("c"), lb7("d"));
    sync(atB);
    ForwardingState lostIt = Lab.state(SchedulerKind.MAGLEV, Optional.of(atB),
        lb7("a", first.equals("a") ? BackendState.DOWN : BackendState.UP),
        lb7("b", first.equals("b") ? BackendState.DOWN : BackendState.UP),
        lb7("c", first.equals("c") ? BackendState.DOWN : BackendState.UP), lb7("d"));

    assertThat(lb7Of(b, lostIt, tcp4(0, ACK), T0 + SECOND)).isNotEqualTo(first);
    assertThat(b.peerHits()).isZero();
  }

  @Test
  void aSynIsScheduledAsNewEvenWhenAPeerKnowsItsTuple() {
    lb7Of(a, atA, tcp4(1, SYN), T0);
    ForwardingState atB = maglev(lb7("a"), lb7("b"), lb7("c"), lb7("d"));
    sync(atB);

    lb7Of(b, atB, tcp4(1, SYN), T0 + SECOND);

    assertThat(b.peerHits()).isZero();
  }

  @Test
  void tcpFlowsAreQueuedWhenPinnedAndAgainEveryRefreshWhileInUse() {
    lb7Of(a, atA, tcp4(2, SYN), T0);
    lb7Of(a, atA, tcp4(2, ACK), T0 + SECOND);
    assertThat(outbox.offered()).isEqualTo(1);

    lb7Of(a, atA, tcp4(2, ACK), T0 + REFRESH.toNanos());
    assertThat(outbox.offered()).as("after one refresh").isEqualTo(2);
    lb7Of(a, atA, tcp4(2, ACK), T0 + REFRESH.toNanos() + SECOND);
    assertThat(outbox.offered()).isEqualTo(2);

    forward(a, atA, ClientPackets.udp("203.0.113.9", 5353, VIP4, 53, 20), T0);
    assertThat(outbox.offered()).as("UDP flows are not synced").isEqualTo(2);
  }
}
