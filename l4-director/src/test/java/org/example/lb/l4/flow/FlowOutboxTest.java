package org.example.lb.l4.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.example.lb.l4.packet.PacketView;
import org.example.lb.l4.packet.TestPackets;
import org.junit.jupiter.api.Test;

class FlowOutboxTest {
  private final PacketView view = PacketView.forForwarding();

  private PacketView packet(int client, int port) {
    return TestPackets.parsedTcp4(view, "198.51.100." + client, port, "192.0.2.10", 443, 0x02);
  }


  private record Drained(long srcLo, int portPair, int protocol, int slot, int generation) {}

  private static List<Drained> drain(FlowOutbox outbox) {
    List<Drained> out = new ArrayList<>();
    outbox.drain((sHi, sLo, dHi, dLo, portPair, proto, slot, gen) -> out.add(new Drained(sLo, portPair, proto, slot, gen)));
    return out;
  }

  @Test
  void drainHandsOnEveryOfferedFlowOldestFirstOnce() {
    FlowOutbox outbox = FlowOutbox.create(16);
    outbox.offer(packet(1, 1000), 3, 7);
    outbox.offer(packet(2, 2000), 4, 8);

    List<Drained> drained = drain(outbox);

    assertThat(drained).containsExactly(
        new Drained(0x0000_ffff_c633_6401L, 1000 << 16 | 443, 6, 3, 7),
        new Drained(0x0000_ffff_c633_6402L, 2000 << 16 | 443, 6, 4, 8));
    assertThat(drain(outbox)).isEmpty();
    assertThat(outbox.offered()).isEqualTo(2);
  }

  @Test
  void aFullOutboxCountsWhatItLeavesOutAndTakesFlowsAgainOnceDrained() {
    FlowOutbox outbox = FlowOutbox.create(16);
    for (int i = 0; i < 20; i++) {
      outbox.offer(packet(1, 1000 + i), 1, 1);
    }
    assertThat(outbox.dropped()).isEqualTo(4);
    assertThat(drain(outbox)).hasSize(16).extracting(Drained::portPair).first().isEqualTo(1000 << 16 | 443);

    for (int round = 0; round < 5; round++) { // wraps around the ring
      for (int i = 0; i < 10; i++) {
        assertThat(outbox.offer(packet(2, 3000 + i), 2, round)).isTrue();
      }
      assertThat(drain(outbox)).hasSize(10).extracting(Drained::generation).containsOnly(round);
    }
    assertThat(outbox.dropped()).isEqualTo(4);
  }

  @Test
  void aConsumerThreadSeesEveryFlowTheProducerOffered() throws Exception {
    FlowOutbox outbox = FlowOutbox.create(64);
    int total = 200_000;
    long[] seen = new long[1];
    long[] sum = new long[1];
    Thread consumer = Thread.ofPlatform().start(() -> {
      while (seen[0] < total) {
        outbox.drain((sHi, sLo, dHi, dLo, portPair, proto, slot, gen) -> {
          seen[0]++;
          sum[0] += gen;
        });
        Thread.onSpinWait();
      }
    });
    PacketView p = packet(9, 9000);
    long expected = 0;
    for (int i = 0; i < total; ) {
      if (outbox.offer(p, 1, i)) {
        expected += i;
        i++;
      }
    }
    consumer.join(java.time.Duration.ofSeconds(30));
    assertThat(seen[0]).isEqualTo(total);
    assertThat(sum[0]).as("every generation arrived intact").isEqualTo(expected);
  }

  @Test
  void capacityMustBeAPowerOfTwo() {
    assertThatThrownBy(() -> FlowOutbox.create(100)).hasMessage("capacity: 100 (expected: a power of two)");
    assertThatThrownBy(() -> FlowOutbox.create(8)).hasMessageStartingWith("capacity: 8 (expected:");
  }
}
