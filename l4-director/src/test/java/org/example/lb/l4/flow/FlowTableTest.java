package org.example.lb.l4.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.example.lb.l4.packet.PacketView;
import org.example.lb.l4.packet.TestPackets;
import org.example.lb.l4.packet.Verdict;
import org.junit.jupiter.api.Test;

class FlowTableTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long TCP_IDLE = 900 * SECOND;
  private static final long CLOSING_IDLE = 120 * SECOND;
  private static final long UDP_IDLE = 30 * SECOND;
  private static final long T0 = 123_456_789L;

  private final PacketView view = PacketView.forForwarding();

  /** Parses a TCP (or UDP) IPv4 packet from 198.51.100.{client}:{port} to 192.0.2.10:443 into the shared view. */
  private PacketView packet(int client, int port, int protocol) {
    TestPackets.Ipv4 p = new TestPackets.Ipv4().payload(protocol,
        protocol == 6 ? TestPackets.tcp(port, 443, 0x10, 0) : TestPackets.udp(port, 443, 0));
    p.src = new byte[] {(byte) 198, 51, 100, (byte) client};
    p.dst = new byte[] {(byte) 192, 0, 2, 10};
    ByteBuffer buf = TestPackets.inBuffer(p.build());
    assertThat(view.parse(buf, TestPackets.HEADROOM, buf.limit() - TestPackets.HEADROOM)).isEqualTo(Verdict.OK.code());
    return view;
  }

  private static FlowTable table(int capacity) {
    return FlowTable.create(capacity, TCP_IDLE, CLOSING_IDLE, UDP_IDLE, 16);
  }

  @Test
  void insertedFlowIsFoundByItsFiveTupleOnly() {
    FlowTable flows = table(8);
    int e = flows.insert(packet(1, 1000, 6), 3, 7, FlowTable.TCP_OPEN, T0);

    assertThat(flows.find(packet(1, 1000, 6), T0)).isEqualTo(e);
    assertThat(flows.slot(e)).isEqualTo(3);
    assertThat(flows.generation(e)).isEqualTo(7);
    assertThat(flows.find(packet(1, 1001, 6), T0)).as("other port").isEqualTo(FlowTable.ABSENT);
    assertThat(flows.find(packet(2, 1000, 6), T0)).as("other client").isEqualTo(FlowTable.ABSENT);
    assertThat(flows.find(packet(1, 1000, 17), T0)).as("other protocol").isEqualTo(FlowTable.ABSENT);
    assertThat(flows.size()).isEqualTo(1);
  }

  @Test
  void fullTableEvictsTheLeastRecentlySeenFlowAcrossIdleClasses() {
    FlowTable flows = table(3);
    flows.insert(packet(1, 1, 6), 0, 1, FlowTable.TCP_OPEN, T0);
    flows.insert(packet(2, 2, 17), 0, 1, FlowTable.DATAGRAM, T0 + 1);
    flows.insert(packet(3, 3, 6), 0, 1, FlowTable.TCP_CLOSING, T0 + 2);
    flows.touch(flows.find(packet(1, 1, 6), T0 + 3), FlowTable.TCP_OPEN, T0 + 3); // flow 1 is now the newest

    flows.insert(packet(4, 4, 6), 0, 1, FlowTable.TCP_OPEN, T0 + 4);

    assertThat(flows.find(packet(2, 2, 17), T0 + 4)).as("least recently seen: evicted").isEqualTo(FlowTable.ABSENT);
    assertThat(flows.find(packet(1, 1, 6), T0 + 4)).isNotEqualTo(FlowTable.ABSENT);
    assertThat(flows.find(packet(3, 3, 6), T0 + 4)).isNotEqualTo(FlowTable.ABSENT);
    assertThat(flows.find(packet(4, 4, 6), T0 + 4)).isNotEqualTo(FlowTable.ABSENT);
    assertThat(flows.size()).isEqualTo(3);
    assertThat(flows.evictions()).isEqualTo(1);
  }

  @Test
  void eachIdleClassExpiresAfterItsOwnTimeout() {
    FlowTable flows = table(8);
    flows.insert(packet(1, 1, 6), 0, 1, FlowTable.TCP_OPEN, T0);
    flows.insert(packet(2, 2, 6), 0, 1, FlowTable.TCP_CLOSING, T0);
    flows.insert(packet(3, 3, 17), 0, 1, FlowTable.DATAGRAM, T0);

    assertThat(flows.expire(T0 + UDP_IDLE - 1)).isZero();
    assertThat(flows.expire(T0 + UDP_IDLE)).isEqualTo(1);
    assertThat(flows.find(packet(3, 3, 17), T0 + UDP_IDLE)).isEqualTo(FlowTable.ABSENT);
    assertThat(flows.expire(T0 + CLOSING_IDLE - 1)).isZero();
    assertThat(flows.expire(T0 + CLOSING_IDLE)).isEqualTo(1);
    assertThat(flows.expire(T0 + TCP_IDLE - 1)).isZero();
    assertThat(flows.find(packet(1, 1, 6), T0 + TCP_IDLE - 1)).isNotEqualTo(FlowTable.ABSENT);
    assertThat(flows.expire(T0 + TCP_IDLE)).isEqualTo(1);
    assertThat(flows.size()).isZero();
    assertThat(flows.expirations()).isEqualTo(3);
  }

  @Test
  void touchingAFlowRestartsItsIdleTimeAndExpiryStopsAtTheFirstLiveFlow() {
    FlowTable flows = table(8);
    flows.insert(packet(1, 1, 17), 0, 1, FlowTable.DATAGRAM, T0);
    flows.insert(packet(2, 2, 17), 0, 1, FlowTable.DATAGRAM, T0 + SECOND);
    flows.touch(flows.find(packet(1, 1, 17), T0 + 20 * SECOND), FlowTable.DATAGRAM, T0 + 20 * SECOND);

    assertThat(flows.expire(T0 + 31 * SECOND)).as("flow 2 only").isEqualTo(1);
    assertThat(flows.find(packet(1, 1, 17), T0 + 31 * SECOND)).isNotEqualTo(FlowTable.ABSENT);
    assertThat(flows.find(packet(2, 2, 17), T0 + 31 * SECOND)).isEqualTo(FlowTable.ABSENT);
  }

  @Test
  void findTreatsAnExpiredFlowAsAbsentEvenBeforeExpireRuns() {
    FlowTable flows = table(8);
    flows.insert(packet(1, 1, 17), 0, 1, FlowTable.DATAGRAM, T0);

    assertThat(flows.find(packet(1, 1, 17), T0 + UDP_IDLE)).isEqualTo(FlowTable.ABSENT);
    assertThat(flows.size()).isZero();
  }

  @Test
  void movingAFlowToTheClosingClassShortensItsTimeout() {
    FlowTable flows = table(8);
    int e = flows.insert(packet(1, 1, 6), 0, 1, FlowTable.TCP_OPEN, T0);
    flows.touch(e, FlowTable.TCP_CLOSING, T0 + SECOND);

    assertThat(flows.idleClass(e)).isEqualTo(FlowTable.TCP_CLOSING);
    assertThat(flows.expire(T0 + SECOND + CLOSING_IDLE)).isEqualTo(1);
  }

  @Test
  void flowsAreCountedPerSlotAndGenerationSoAReusedSlotStartsAtZero() {
    FlowTable flows = table(8);
    flows.insert(packet(1, 1, 6), 2, 10, FlowTable.TCP_OPEN, T0);
    int old = flows.insert(packet(2, 2, 6), 2, 10, FlowTable.TCP_OPEN, T0);
    flows.insert(packet(3, 3, 6), 5, 11, FlowTable.TCP_OPEN, T0);
    assertThat(flows.flowsOf(2, 10)).isEqualTo(2);
    assertThat(flows.flowsOf(5, 11)).isEqualTo(1);

    flows.insert(packet(4, 4, 6), 2, 12, FlowTable.TCP_OPEN, T0); // slot 2 now belongs to generation 12
    assertThat(flows.flowsOf(2, 12)).isEqualTo(1);
    assertThat(flows.flowsOf(2, 10)).isZero();
    flows.remove(old); // a leftover of generation 10 leaves: generation 12's count is untouched
    assertThat(flows.flowsOf(2, 12)).isEqualTo(1);
  }

  @Test
  void randomInsertsAndRemovalsAgreeWithAMap() {
    Random random = new Random(42);
    FlowTable flows = table(512);
    Map<Integer, Integer> model = new HashMap<>(); // client * 65536 + port -> slot
    for (int round = 0; round < 50_000; round++) {
      int client = 1 + random.nextInt(4);
      int port = random.nextInt(300);
      int key = client * 65536 + port;
      int e = flows.find(packet(client, port, 6), T0);
      assertThat(e != FlowTable.ABSENT).as("round %d key %d", round, key).isEqualTo(model.containsKey(key));
      if (e == FlowTable.ABSENT) {
        if (model.size() < 512) {
          int slot = random.nextInt(16);
          flows.insert(view, slot, 1, FlowTable.TCP_OPEN, T0);
          model.put(key, slot);
        }
      } else {
        assertThat(flows.slot(e)).isEqualTo(model.get(key));
        if (random.nextBoolean()) {
          flows.remove(e);
          model.remove(key);
        }
      }
    }
    assertThat(flows.size()).isEqualTo(model.size());
    int[] perSlot = new int[16];
    model.values().forEach(s -> perSlot[s]++);
    for (int s = 0; s < 16; s++) {
      assertThat(flows.flowsOf(s, 1)).isEqualTo(perSlot[s]);
    }
  }

  @Test
  void badSettingsAreRejectedWithTheFieldName() {
    assertThatThrownBy(() -> FlowTable.create(0, 1, 1, 1, 1)).hasMessageStartingWith("flowCapacity: 0");
    assertThatThrownBy(() -> FlowTable.create(1, 0, 1, 1, 1)).hasMessageStartingWith("tcpIdle: 0ns");
  }
}
