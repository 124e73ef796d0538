package org.example.lb.l4.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.example.lb.l4.forward.ClientPackets.ACK;
import static org.example.lb.l4.forward.ClientPackets.FIN_ACK;
import static org.example.lb.l4.forward.ClientPackets.SYN;
import static org.example.lb.l4.forward.Lab.VIP4;
import static org.example.lb.l4.forward.Lab.VIP6;
import static org.example.lb.l4.forward.Lab.lb7;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.example.lb.l4.packet.NetworkOrder;
import org.example.lb.l4.packet.TestPackets;
import org.example.lb.l4.flow.FlowOutbox;
import org.example.lb.l4.flow.PeerFlows;
import org.junit.jupiter.api.Test;

/**
 * Evidence for "no allocation per packet" on the forwarding path: bytes allocated by this thread across 200k
 * forwards (new flows that evict old ones, established flows, FIN, unknown services, too big with ICMP, IPv4 and
 * IPv6, every scheduler, expiry) stay far below one object per packet (at least 3.2 MB).
 */
class ForwarderAllocationTest {
  private static final int ITERATIONS = 200_000;

  @Test
  void forwardingDoesNotAllocatePerPacket() {
    assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
    threads.setThreadAllocatedMemoryEnabled(true);
    WorkerSettings settings = new WorkerSettings(4096, Duration.ofSeconds(900), Duration.ofSeconds(120),
        Duration.ofSeconds(30), 1400, Optional.of(Lab.DIRECTOR4), Optional.of(Lab.DIRECTOR6), 1000);
    // With flow sync: every pinned TCP flow is queued (and drained below), every unknown mid-flow packet looked up.
    FlowOutbox outbox = FlowOutbox.create(1024);
    PeerFlows peers = PeerFlows.create(1024);
    Forwarder f = Forwarder.create(0, settings, new FlowSharing(Optional.of(outbox), Optional.of(peers),
        Duration.ofSeconds(1)));
    ForwardingState[] states = new ForwardingState[SchedulerKind.values().length];
    for (SchedulerKind kind : SchedulerKind.values()) {
      states[kind.ordinal()] = Lab.state(kind, Optional.empty(), lb7("a"), lb7("b").withWeight(2),
          lb7("c", BackendState.DRAINING), lb7("d", BackendState.DOWN), BackendSpec.up("e", null, Lab.addr("2001:db8:7::5")));
    }
    List<ByteBuffer> packets = List.of(
        ClientPackets.tcp("203.0.113.1", 1, VIP4, 443, SYN),
        ClientPackets.tcp("203.0.113.2", 2, VIP4, 443, ACK, 100),
        ClientPackets.tcp("203.0.113.3", 3, VIP4, 443, FIN_ACK),
        ClientPackets.tcp("203.0.113.4", 4, VIP4, 443, ACK, 1500),
        ClientPackets.udp("203.0.113.5", 5, VIP4, 53, 30),
        ClientPackets.tcp("203.0.113.6", 6, VIP4, 80, SYN),
        ClientPackets.tcp("2001:db8:c::1", 7, VIP6, 443, SYN),
        ClientPackets.tcp("2001:db8:c::2", 8, VIP6, 443, ACK, 1400),
        ClientPackets.udp("2001:db8:c::3", 9, VIP6, 5353, 10));
    long threadId = Thread.currentThread().threadId();

    long sink = run(f, outbox, states, packets, 0);
    long before = threads.getThreadAllocatedBytes(threadId);
    sink += run(f, outbox, states, packets, ITERATIONS);
    long allocated = threads.getThreadAllocatedBytes(threadId) - before;

    assertThat(sink).isPositive();
    assertThat(f.flows().evictions()).as("new flows evicted old ones").isPositive();
    assertThat(outbox.offered()).as("flows queued for the peers").isPositive();
    assertThat(allocated).as("bytes allocated in %d forwards", ITERATIONS).isLessThan(64 * 1024);
  }

  private static final FlowOutbox.Sink DISCARD = (sHi, sLo, dHi, dLo, portPair, proto, slot, generation) -> {};

  private static long run(Forwarder f, FlowOutbox outbox, ForwardingState[] states, List<ByteBuffer> packets,
      int round) {
    long sink = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      ByteBuffer p = packets.get(i % packets.size());
      int l4 = TestPackets.HEADROOM + ((NetworkOrder.u8(p, TestPackets.HEADROOM) >>> 4) == 4 ? 20 : 40);
      NetworkOrder.put16(p, l4, (i + round) & 0xffff); // a new source port: half the packets are new flows
      long now = Lab.T0 + (long) (i + round) * 100_000L;
      ForwardingState s = states[(i >>> 10) % states.length];
      sink += f.forward(s, p, TestPackets.HEADROOM, ClientPackets.length(p), now) + f.outputLength() + f.icmpLength();
      if ((i & 1023) == 0) {
        sink += f.expire(now) + outbox.drain(DISCARD);
      }
    }
    return sink;
  }
}
