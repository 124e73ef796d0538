package org.example.lb.l4.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.example.lb.common.test.Poll;
import org.example.lb.l4.flow.FlowOutbox;
import org.example.lb.l4.flow.PeerFlows;
import org.example.lb.l4.forward.BackendSpec;
import org.example.lb.l4.forward.ForwardingState;
import org.example.lb.l4.forward.HashKey;
import org.example.lb.l4.forward.SchedulerKind;
import org.example.lb.l4.forward.ServiceSpec;
import org.example.lb.l4.packet.PacketView;
import org.example.lb.l4.packet.TestPackets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two flow-sync endpoints on loopback (127.0.0.1 sends, 127.0.0.2 receives), as two directors would run it. */
class FlowSyncTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration REFRESH = Duration.ofSeconds(2);
  private static final long T0 = 1_000_000_000_000L;

  private final AtomicLong clock = new AtomicLong(T0);
  private final FlowOutbox outbox = FlowOutbox.create(64);
  private final PeerFlows receivedFlows = PeerFlows.create(64);
  // The sender knows LB7-9, which the receiver does not; the receiver has LB7-0, so its slots differ.
  private final ForwardingState senderState = state("LB7-1", "LB7-2", "LB7-3", "LB7-9");
  private final ForwardingState receiverState = state("LB7-0", "LB7-1", "LB7-2", "LB7-3");
  private FlowSync receiver;
  private FlowSync sender;

  @BeforeEach
  void start() throws Exception {
    receiver = FlowSync.start(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.2"), 0),
        List.of(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 9)), List.of(), receivedFlows,
        () -> receiverState, clock::get, Duration.ofMillis(10), REFRESH);
    sender = FlowSync.start(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0),
        List.of(receiver.localAddress()), List.of(outbox), PeerFlows.create(16), () -> senderState,
        System::nanoTime, Duration.ofMillis(10), REFRESH);
  }

  @AfterEach
  void stop() {
    sender.close();
    receiver.close();
  }

  @Test
  void aPeerLearnsTheLb7OfAFlowByNameInItsOwnSlots() {
    PacketView flow = packet(1, 40000);
    int slot = senderState.slot("LB7-2");
    outbox.offer(flow, slot, senderState.generationOf(slot));

    int there = receiverState.slot("LB7-2");
    assertThat(there).isNotEqualTo(slot);
    long expected = (long) there << 32 | (receiverState.generationOf(there) & 0xffff_ffffL);
    Poll.until(WAIT, "the receiver knows the flow", () -> receivedFlows.find(flow, T0) == expected);
    assertThat(receivedFlows.find(flow, T0 + 3 * REFRESH.toNanos() - 1)).as("kept for 3 × refresh").isEqualTo(expected);
    assertThat(receivedFlows.find(flow, T0 + 3 * REFRESH.toNanos())).isEqualTo(PeerFlows.ABSENT);
    assertThat(sender.status().recordsSent()).isEqualTo(1);
    assertThat(receiver.status().recordsReceived()).isEqualTo(1);
  }

  @Test
  void aFlowWhoseSlotWasReusedIsNotSentAndAnUnknownLb7IsCounted() {
    int slot = senderState.slot("LB7-1");
    outbox.offer(packet(1, 40001), slot, senderState.generationOf(slot) + 1000);
    int unknown = senderState.slot("LB7-9");
    outbox.offer(packet(1, 40002), unknown, senderState.generationOf(unknown));
    outbox.offer(packet(1, 40003), slot, senderState.generationOf(slot));

    Poll.until(WAIT, "the last flow arrives", () -> receivedFlows.find(packet(1, 40003), T0) != PeerFlows.ABSENT);
    SyncStatus s = receiver.status();
    assertThat(s.recordsReceived()).as("the stale flow was never sent").isEqualTo(2);
    assertThat(s.unknownBackend()).isEqualTo(1);
    assertThat(receivedFlows.find(packet(1, 40002), T0)).isEqualTo(PeerFlows.ABSENT);
    assertThat(s.peerFlows()).isEqualTo(1);
  }

  @Test
  void datagramsFromStrangersAndBadDatagramsAreCountedAndChangeNothing() throws Exception {
    ByteBuffer valid = datagram(packet(3, 50000), "LB7-1");
    try (DatagramChannel stranger = DatagramChannel.open()) {
      stranger.bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.3"), 0));
      stranger.send(valid.duplicate(), receiver.localAddress());
      Poll.until(WAIT, "the stranger's datagram is counted", () -> receiver.status().notFromPeer() == 1);
    }
    try (DatagramChannel peer = DatagramChannel.open()) {
      peer.bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0));
      peer.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), receiver.localAddress());
      Poll.until(WAIT, "the bad datagram is counted", () -> receiver.status().malformed() == 1);
      peer.send(valid.duplicate(), receiver.localAddress());
      Poll.until(WAIT, "the valid one from the peer's address is taken",
          () -> receivedFlows.find(packet(3, 50000), T0) != PeerFlows.ABSENT);
    }
    assertThat(receiver.status().recordsReceived()).isEqualTo(1);
  }

  private ByteBuffer datagram(PacketView p, String backend) {
    SyncDatagram.Writer w = new SyncDatagram.Writer();
    w.add(p.sourceHigh(), p.sourceLow(), p.destinationHigh(), p.destinationLow(),
        p.sourcePort() << 16 | p.destinationPort(), p.protocol(), backend.getBytes(StandardCharsets.UTF_8));
    ByteBuffer out = w.finish();
    return ByteBuffer.allocate(out.remaining()).put(out).flip();
  }

  private static PacketView packet(int client, int port) {
    return TestPackets.parsedTcp4(PacketView.forForwarding(), "203.0.113." + client, port, "198.51.100.1", 80, 0x10);
  }


  private static ForwardingState state(String... lb7s) {
    List<BackendSpec> backends = new java.util.ArrayList<>();
    for (int i = 0; i < lb7s.length; i++) {
      backends.add(BackendSpec.up(lb7s[i], InetAddress.ofLiteral("192.0.2." + (10 + i)), null));
    }
    return ForwardingState.build(Optional.empty(), SchedulerKind.MAGLEV, HashKey.FIVE_TUPLE, 65537,
        List.of(new ServiceSpec(InetAddress.ofLiteral("198.51.100.1"), ServiceSpec.Protocol.TCP, 80)), backends);
  }
}
