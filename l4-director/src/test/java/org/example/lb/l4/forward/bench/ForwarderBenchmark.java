package org.example.lb.l4.forward.bench;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.example.lb.l4.flow.FlowOutbox;
import org.example.lb.l4.flow.PeerFlows;
import org.example.lb.l4.forward.BackendSpec;
import org.example.lb.l4.forward.FlowSharing;
import org.example.lb.l4.forward.Forwarder;
import org.example.lb.l4.forward.ForwardingState;
import org.example.lb.l4.forward.HashKey;
import org.example.lb.l4.forward.SchedulerKind;
import org.example.lb.l4.forward.ServiceSpec;
import org.example.lb.l4.forward.WorkerSettings;
import org.example.lb.l4.maglev.MaglevTable;
import org.example.lb.l4.packet.NetworkOrder;
import org.example.lb.l4.packet.TestPackets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Packets per second of one worker's {@link Forwarder} (parse, service check, flow table, scheduling, encapsulation;
 * no system calls) for a mix of established and new TCP/IPv4 flows: 65536 established flows cycled (ACKs), and
 * {@code newFlowPercent} % SYNs of flows never seen before (the table holds 2^20 flows, so a long run also evicts).
 * 10 LB7s. With {@code sync=on} the forwarder takes part in flow sync: every new flow is queued in an outbox (drained
 * every 1024 packets on the same thread, as the sender would) and every refresh (1 s of the benchmark's clock) an
 * established flow is queued again. Run as shown in {@code MaglevBuildBenchmark} with {@code ForwarderBenchmark} (add
 * {@code -prof gc}: expected 0 B/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ForwarderBenchmark {
  private static final int HEADROOM = TestPackets.HEADROOM;
  private static final int CLIENTS = 256;
  private static final int ESTABLISHED_CLIENTS = 16;
  private static final int PORTS_PER_ESTABLISHED_CLIENT = 4096;

  @Param({"0", "10", "100"})
  public int newFlowPercent;

  @Param({"maglev", "wlc"})
  public String scheduler;

  @Param({"off", "on"})
  public String sync;

  private static final FlowOutbox.Sink DISCARD = (sHi, sLo, dHi, dLo, portPair, proto, slot, generation) -> {};
  private FlowOutbox outbox;

  private ForwardingState state;
  private Forwarder forwarder;
  private final ByteBuffer[] clients = new ByteBuffer[CLIENTS];
  private int length;
  private int next;
  private int newFlows;
  private long now = 1_000_000_000_000L;

  @Setup
  public void setUp() {
    List<BackendSpec> lb7s = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      lb7s.add(BackendSpec.up("lb7-" + i, InetAddress.ofLiteral("198.51.100." + (i + 1)), null));
    }
    InetAddress vip = InetAddress.ofLiteral("192.0.2.10");
    state = ForwardingState.build(Optional.empty(), SchedulerKind.parse(scheduler), HashKey.FIVE_TUPLE,
        MaglevTable.DEFAULT_SIZE, List.of(new ServiceSpec(vip, ServiceSpec.Protocol.TCP, 443)), lb7s);
    FlowSharing sharing = FlowSharing.NONE;
    if (sync.equals("on")) {
      outbox = FlowOutbox.create(16_384);
      sharing = new FlowSharing(Optional.of(outbox), Optional.of(PeerFlows.create(262_144)), Duration.ofSeconds(1));
    }
    forwarder = Forwarder.create(0, new WorkerSettings(1 << 20, Duration.ofSeconds(900), Duration.ofSeconds(120),
        Duration.ofSeconds(30), 1500, Optional.of(InetAddress.ofLiteral("198.51.100.250")), Optional.empty(), 100),
        sharing);
    for (int c = 0; c < CLIENTS; c++) {
      TestPackets.Ipv4 p = new TestPackets.Ipv4().payload(6, TestPackets.tcp(1, 443, 0x10, 64));
      p.src = new byte[] {(byte) 203, 0, (byte) 113, (byte) c};
      p.dst = vip.getAddress();
      byte[] packet = p.build();
      clients[c] = TestPackets.inBuffer(packet);
      length = packet.length;
    }
    for (int k = 0; k < ESTABLISHED_CLIENTS * PORTS_PER_ESTABLISHED_CLIENT; k++) {
      ByteBuffer p = packet(k / PORTS_PER_ESTABLISHED_CLIENT, k % PORTS_PER_ESTABLISHED_CLIENT, 0x02);
      forwarder.forward(state, p, HEADROOM, length, now);
      if (outbox != null && (k & 1023) == 0) {
        outbox.drain(DISCARD);
      }
    }
  }

  private ByteBuffer packet(int client, int port, int flags) {
    ByteBuffer p = clients[client];
    NetworkOrder.put16(p, HEADROOM + 20, port);
    NetworkOrder.put8(p, HEADROOM + 20 + 13, flags);
    return p;
  }

  @Benchmark
  public int forward() {
    int i = next++;
    now += 1_000;
    ByteBuffer p;
    if (i % 100 < newFlowPercent) {
      int n = newFlows++;
      int client = ESTABLISHED_CLIENTS + n % (CLIENTS - ESTABLISHED_CLIENTS);
      p = packet(client, (n / (CLIENTS - ESTABLISHED_CLIENTS)) & 0xffff, 0x02);
    } else {
      int k = i & (ESTABLISHED_CLIENTS * PORTS_PER_ESTABLISHED_CLIENT - 1);
      p = packet(k / PORTS_PER_ESTABLISHED_CLIENT, k % PORTS_PER_ESTABLISHED_CLIENT, 0x10);
    }
    if (outbox != null && (i & 1023) == 0) {
      outbox.drain(DISCARD);
    }
    return forwarder.forward(state, p, HEADROOM, length, now);
  }
}
