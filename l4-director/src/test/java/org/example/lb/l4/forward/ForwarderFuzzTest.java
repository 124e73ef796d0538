package org.example.lb.l4.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.example.lb.l4.forward.Lab.lb7;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.example.lb.l4.packet.DropCounters;
import org.example.lb.l4.packet.TestPackets;
import org.example.lb.l4.packet.Verdict;
import org.junit.jupiter.api.Test;

/** Random and mutated packets through the forwarder: never an exception, every packet counted exactly once. */
class ForwarderFuzzTest {
  private static final int ROUNDS = 100_000;

  @Test
  void randomBytesNeverThrowAndEveryPacketIsCounted() {
    Random random = new Random(20260423L);
    List<byte[]> seeds = List.of(
        bytes(Lab.tcp4(1, ClientPackets.SYN)),
        bytes(Lab.tcp4(2, ClientPackets.ACK)),
        bytes(Lab.tcp6(3, ClientPackets.FIN_ACK)),
        bytes(ClientPackets.udp("203.0.113.9", 53, Lab.VIP4, 53, 40)),
        bytes(ClientPackets.udp("2001:db8:c::9", 53, Lab.VIP6, 9, 40)),
        bytes(ClientPackets.tcp("203.0.113.9", 1, Lab.VIP4, 443, ClientPackets.ACK, 1600)));
    Forwarder f = Forwarder.create(0, Lab.settings());
    ForwardingState[] states = new ForwardingState[SchedulerKind.values().length];
    for (SchedulerKind kind : SchedulerKind.values()) {
      states[kind.ordinal()] = Lab.state(kind, Optional.empty(), lb7("a"), lb7("b", BackendState.DRAINING),
          BackendSpec.up("c", null, Lab.addr("2001:db8:7::3")));
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(TestPackets.HEADROOM + 2048);
    int ok = 0;
    for (int round = 0; round < ROUNDS; round++) {
      byte[] packet;
      if (random.nextInt(10) == 0) {
        packet = new byte[random.nextInt(120)];
        random.nextBytes(packet);
      } else {
        packet = seeds.get(random.nextInt(seeds.size())).clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
          packet[random.nextInt(packet.length)] = (byte) random.nextInt(256);
        }
      }
      buf.clear();
      buf.put(TestPackets.HEADROOM, packet);
      int off = random.nextInt(20) == 0 ? random.nextInt(buf.capacity() + 20) - 10 : TestPackets.HEADROOM;
      int len = random.nextInt(8) == 0 ? random.nextInt(packet.length + 20) - 10 : packet.length;
      buf.limit(random.nextInt(8) == 0 ? random.nextInt(buf.capacity()) : TestPackets.HEADROOM + packet.length);

      int verdict = f.forward(states[round % states.length], buf, off, len, Lab.T0 + round * 1_000_000L);

      assertThat(verdict).isBetween(0, Verdict.LIMIT - 1);
      assertThat(Verdict.valueOf(verdict).name()).doesNotStartWith("UNKNOWN");
      if (verdict == Verdict.OK.code()) {
        ok++;
        assertThat(f.outputLength()).isPositive();
        assertThat(f.outputStart() + f.outputLength()).isLessThanOrEqualTo(buf.limit());
      }
    }
    long[] counts = f.counters().snapshot(new long[DropCounters.slots()]);
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    assertThat(total).as("one verdict per packet").isEqualTo(ROUNDS);
    assertThat(counts[Verdict.OK.code()]).isEqualTo(ok).isPositive();
    assertThat(counts[DropCounters.UNKNOWN_SLOT]).isZero();
  }

  private static byte[] bytes(ByteBuffer packet) {
    byte[] b = new byte[ClientPackets.length(packet)];
    packet.get(TestPackets.HEADROOM, b);
    return b;
  }
}
