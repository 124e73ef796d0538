package org.example.lb.l4.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.example.lb.l4.packet.PacketView;
import org.example.lb.l4.packet.TestPackets;
import org.junit.jupiter.api.Test;

class PeerFlowsTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 5_000 * SECOND;

  private final PacketView view = PacketView.forForwarding();

  private PacketView packet(int client, int port) {
    return TestPackets.parsedTcp4(view, "198.51.100." + client, port, "192.0.2.10", 443, 0x10);
  }


  private static boolean put(PeerFlows t, PacketView p, int slot, int generation, long expires) {
    return t.put(p.sourceHigh(), p.sourceLow(), p.destinationHigh(), p.destinationLow(),
        p.sourcePort() << 16 | p.destinationPort(), p.protocol(), slot, generation, expires);
  }

  @Test
  void aPeersFlowIsFoundByItsFiveTupleWithItsSlotAndGeneration() {
    PeerFlows t = PeerFlows.create(64);
    put(t, packet(1, 1000), 3, 42, T0 + 30 * SECOND);

    assertThat(t.find(packet(1, 1000), T0)).isEqualTo(3L << 32 | 42);
    assertThat(t.find(packet(1, 1001), T0)).isEqualTo(PeerFlows.ABSENT);
    assertThat(t.find(packet(2, 1000), T0)).isEqualTo(PeerFlows.ABSENT);
    assertThat(t.size()).isEqualTo(1);
  }

  @Test
  void aRenewedFlowTakesTheNewBackendAndExpiryWithoutGrowing() {
    PeerFlows t = PeerFlows.create(64);
    put(t, packet(1, 1000), 3, 42, T0 + SECOND);
    put(t, packet(1, 1000), 5, 43, T0 + 60 * SECOND);

    assertThat(t.find(packet(1, 1000), T0 + 30 * SECOND)).isEqualTo(5L << 32 | 43);
    assertThat(t.size()).isEqualTo(1);
  }

  @Test
  void anExpiredFlowIsAbsentAndExpireFreesItsPlace() {
    PeerFlows t = PeerFlows.create(16);
    for (int i = 0; i < 16; i++) {
      assertThat(put(t, packet(1, 1000 + i), 1, 1, T0 + (i < 8 ? 10 : 100) * SECOND)).isTrue();
    }
    assertThat(put(t, packet(2, 2000), 1, 1, T0 + 100 * SECOND)).as("the table is full").isFalse();
    assertThat(t.rejected()).isEqualTo(1);
    assertThat(t.find(packet(1, 1000), T0 + 10 * SECOND)).as("at its expiry").isEqualTo(PeerFlows.ABSENT);
    assertThat(t.find(packet(1, 1008), T0 + 10 * SECOND)).isEqualTo(1L << 32 | 1);

    assertThat(t.expire(T0 + 10 * SECOND)).isEqualTo(8);

    assertThat(t.size()).isEqualTo(8);
    assertThat(t.expired()).isEqualTo(8);
    assertThat(put(t, packet(2, 2000), 2, 2, T0 + 100 * SECOND)).isTrue();
    for (int i = 8; i < 16; i++) {
      assertThat(t.find(packet(1, 1000 + i), T0 + 11 * SECOND)).as("survivor %d after backward shifts", i)
          .isEqualTo(1L << 32 | 1);
    }
    assertThat(t.find(packet(2, 2000), T0 + 11 * SECOND)).isEqualTo(2L << 32 | 2);
  }

  @Test
  void aReaderNeverSeesAnotherFlowsBackendWhileTheWriterChurns() throws Exception {
    PeerFlows t = PeerFlows.create(1024);
    long forever = Long.MAX_VALUE / 2;
    put(t, packet(7, 7777), 9, 99, forever);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong wrong = new AtomicLong();
    AtomicLong found = new AtomicLong();
    Thread reader = Thread.ofPlatform().start(() -> {
      PacketView mine = TestPackets.parsedTcp4(PacketView.forForwarding(), "198.51.100.7", 7777, "192.0.2.10", 443, 0x10);
      while (!stop.get()) {
        long r = t.find(mine, T0);
        if (r == (9L << 32 | 99)) {
          found.incrementAndGet();
        } else if (r != PeerFlows.ABSENT) {
          wrong.incrementAndGet();
        }
      }
    });
    for (int round = 0; round < 200; round++) {
      for (int i = 0; i < 400; i++) {
        put(t, packet(1 + i % 200, 1000 + i), i % 50, round, T0 + SECOND);
      }
      t.expire(T0 + 2 * SECOND);
    }
    stop.set(true);
    reader.join();

    assertThat(wrong.get()).as("lookups that returned another flow's backend").isZero();
    assertThat(found.get()).as("lookups that found the flow").isPositive();
    assertThat(t.find(packet(7, 7777), T0)).isEqualTo(9L << 32 | 99);
  }
}
