package org.example.lb.l4.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.example.lb.common.test.Poll;
import org.example.lb.common.test.Tools;
import org.example.lb.l4.maglev.MaglevTable;
import org.example.lb.l4.nativeio.RawSocket;
import org.example.lb.l4.nativeio.SockAddr;
import org.example.lb.l4.nativeio.SourceAddress;
import org.example.lb.l4.nativeio.TunDevice;
import org.example.lb.l4.testing.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workers on a real multi-queue TUN device in a throwaway namespace: VIPs routed into the TUN, the LB7's and the
 * director's addresses on lo (this kernel has no dummy interfaces), clients are ordinary sockets, and the tunnel packets are caught by raw IPIP / IPv6-in-IP
 * sockets in the same namespace.
 */
class WorkerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String VIP4 = "192.0.2.10";
  private static final String VIP6 = "2001:db8:10::10";
  private static final String CLIENT4 = "203.0.113.1";
  private static final String CLIENT6 = "2001:db8:c::1";
  private static final String DIRECTOR4 = "198.51.100.250";
  private static final String DIRECTOR6 = "2001:db8:ff::1";
  private static final String LB7_4 = "198.51.100.7";
  private static final String LB7_6 = "2001:db8:7::7";
  private static final int TUNNEL_MTU = 1000;

  private TestNamespace ns;
  private TunDevice tun;
  private RawSocket lb7Ipv4;
  private RawSocket lb7Ipv6;
  private final List<AutoCloseable> closeLast = new ArrayList<>();
  private final List<Worker> workers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Arena arena = Arena.ofConfined();

  @BeforeEach
  void setUp() throws Exception {
    Tools.requireRoot();
    assertThat(TunDevice.isAvailable()).as("TUN unavailable: %s", TunDevice.unavailabilityCause()).isTrue();
    ns = TestNamespace.create();
    tun = ns.call(() -> TunDevice.open("lbtun0", true, 2));
    ns.ip("link", "set", "lbtun0", "up");
    ns.ip("addr", "add", LB7_4 + "/32", "dev", "lo");
    ns.ip("addr", "add", DIRECTOR4 + "/32", "dev", "lo");
    ns.ip("-6", "addr", "add", LB7_6 + "/128", "dev", "lo", "nodad");
    ns.ip("-6", "addr", "add", DIRECTOR6 + "/128", "dev", "lo", "nodad");
    ns.ip("addr", "add", CLIENT4 + "/32", "dev", "lo");
    ns.ip("-6", "addr", "add", CLIENT6 + "/128", "dev", "lo", "nodad");
    ns.ip("route", "add", VIP4 + "/32", "dev", "lbtun0", "src", CLIENT4);
    ns.ip("-6", "route", "add", VIP6 + "/128", "dev", "lbtun0", "src", CLIENT6);
    lb7Ipv4 = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    lb7Ipv6 = ns.call(() -> RawSocket.ipv6(RawSocket.IPPROTO_IPV6));

    ForwardingState state = ForwardingState.build(Optional.empty(), SchedulerKind.MAGLEV, HashKey.FIVE_TUPLE,
        MaglevTable.DEFAULT_SIZE,
        List.of(new ServiceSpec(addr(VIP4), ServiceSpec.Protocol.UDP, 53),
            new ServiceSpec(addr(VIP4), ServiceSpec.Protocol.TCP, 80),
            new ServiceSpec(addr(VIP6), ServiceSpec.Protocol.UDP, 53),
            new ServiceSpec(addr(VIP6), ServiceSpec.Protocol.TCP, 80)),
        List.of(BackendSpec.up("lb7-1", addr(LB7_4), addr(LB7_6))));
    AtomicReference<ForwardingState> current = new AtomicReference<>(state);
    WorkerSettings settings = new WorkerSettings(1024, Duration.ofSeconds(900), Duration.ofSeconds(120),
        Duration.ofSeconds(30), TUNNEL_MTU, Optional.of(addr(DIRECTOR4)), Optional.of(addr(DIRECTOR6)), 100);
    for (TunDevice.Queue queue : tun.queues()) {
      RawSocket out4 = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_RAW));
      RawSocket out6 = ns.call(() -> RawSocket.ipv6(RawSocket.IPPROTO_RAW));
      closeLast.add(out4);
      closeLast.add(out6);
      Worker worker = Worker.create(queue.index(), queue, Optional.of(out4), Optional.of(out6), current::get,
          settings, System::nanoTime);
      Thread thread = new Thread(worker, "director-worker-" + queue.index());
      workers.add(worker);
      threads.add(thread);
      thread.start();
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Worker w : workers) {
      w.stop();
    }
    for (Thread t : threads) {
      t.join(TIMEOUT.toMillis());
      assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
    }
    for (AutoCloseable c : closeLast) {
      c.close();
    }
    if (lb7Ipv4 != null) {
      lb7Ipv4.close();
    }
    if (lb7Ipv6 != null) {
      lb7Ipv6.close();
    }
    if (tun != null) {
      tun.close();
    }
    arena.close();
    if (ns != null) {
      ns.close();
    }
  }

  private static InetAddress addr(String literal) {
    return InetAddress.ofLiteral(literal);
  }

  /** Receives packets on {@code socket} until one satisfies {@code wanted}; fails after {@link #TIMEOUT}. */
  private byte[] receive(RawSocket socket, SourceAddress source, Predicate<byte[]> wanted) throws Exception {
    MemorySegment buffer = arena.allocate(65536);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!socket.awaitReadable(100)) {
        continue;
      }
      int n = socket.receive(buffer, source);
      if (n > 0) {
        byte[] packet = buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        if (wanted.test(packet)) {
          return packet;
        }
      }
    }
    throw new AssertionError("no matching packet on " + socket + " within " + TIMEOUT);
  }

  private static int u16(byte[] b, int i) {
    return (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
  }

  private static String address(byte[] b, int offset, int length) {
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(b, offset, offset + length)).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private long total(java.util.function.ToLongFunction<WorkerStats> counter) {
    return workers.stream().map(Worker::stats).mapToLong(counter).sum();
  }

  @Test
  void ipv4DatagramAndSynToTheVipAreTunnelledToTheLb7() throws Exception {
    byte[] payload = "hello lb7".getBytes(StandardCharsets.US_ASCII);
    try (DatagramChannel client = ns.call(() -> DatagramChannel.open(StandardProtocolFamily.INET))) {
      client.send(ByteBuffer.wrap(payload), new InetSocketAddress(VIP4, 53));

      SourceAddress from = new SourceAddress();
      byte[] tunnelled = receive(lb7Ipv4, from, p -> p.length > 48 && p[29] == 17 && u16(p, 42) == 53);

      assertThat(tunnelled[0]).as("outer IPv4, IHL 5").isEqualTo((byte) 0x45);
      assertThat(tunnelled[9]).as("IPIP").isEqualTo((byte) 4);
      assertThat(tunnelled[8] & 0xff).as("outer TTL").isEqualTo(64);
      assertThat(address(tunnelled, 12, 4)).isEqualTo(DIRECTOR4);
      assertThat(address(tunnelled, 16, 4)).isEqualTo(LB7_4);
      assertThat(u16(tunnelled, 2)).isEqualTo(tunnelled.length);
      assertThat(address(tunnelled, 32, 4)).as("inner source").isEqualTo(CLIENT4);
      assertThat(address(tunnelled, 36, 4)).as("inner destination").isEqualTo(VIP4);
      assertThat(Arrays.copyOfRange(tunnelled, 48, tunnelled.length)).isEqualTo(payload);
    }
    try (SocketChannel client = ns.call(() -> {
      SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET);
      c.bind(new InetSocketAddress(CLIENT4, 0)); // a pending connect reports no local address otherwise
      c.configureBlocking(false);
      c.connect(new InetSocketAddress(VIP4, 80));
      return c;
    })) {
      byte[] syn = receive(lb7Ipv4, new SourceAddress(), p -> p.length >= 60 && p[29] == 6 && u16(p, 42) == 80);

      int localPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
      assertThat(u16(syn, 40)).as("client port").isEqualTo(localPort);
      assertThat(syn[20 + 20 + 13] & 0x12).as("SYN without ACK").isEqualTo(0x02);
      assertThat(address(syn, 16, 4)).isEqualTo(LB7_4);
    }
    Poll.until(TIMEOUT, "tunnelled counted", () -> total(WorkerStats::tunnelled) >= 2);
    assertThat(workers.stream().mapToLong(w -> w.stats().flowsPerBackend().get("lb7-1")).sum())
        .isGreaterThanOrEqualTo(2);
    assertThat(total(WorkerStats::sendErrors)).isZero();
  }

  @Test
  void ipv6DatagramAndSynToTheVipAreTunnelledToTheLb7() throws Exception {
    byte[] payload = "hello v6".getBytes(StandardCharsets.US_ASCII);
    SockAddr director = SockAddr.of(addr(DIRECTOR6));
    try (DatagramChannel client = ns.call(() -> DatagramChannel.open(StandardProtocolFamily.INET6))) {
      client.send(ByteBuffer.wrap(payload), new InetSocketAddress(VIP6, 53));

      SourceAddress from = new SourceAddress();
      // an IPv6 raw socket delivers the payload: the inner IPv6 packet
      byte[] inner = receive(lb7Ipv6, from, p -> p.length > 48 && p[6] == 17 && u16(p, 42) == 53);

      assertThat(from.matches(director)).as("outer source %s", from).isTrue();
      assertThat(inner[0] >>> 4).isEqualTo(6);
      assertThat(address(inner, 8, 16)).isEqualTo(addr(CLIENT6).getHostAddress());
      assertThat(address(inner, 24, 16)).isEqualTo(addr(VIP6).getHostAddress());
      assertThat(Arrays.copyOfRange(inner, 48, inner.length)).isEqualTo(payload);
    }
    try (SocketChannel client = ns.call(() -> {
      SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET6);
      c.bind(new InetSocketAddress(CLIENT6, 0));
      c.configureBlocking(false);
      c.connect(new InetSocketAddress(VIP6, 80));
      return c;
    })) {
      SourceAddress from = new SourceAddress();
      byte[] syn = receive(lb7Ipv6, from, p -> p.length >= 60 && p[6] == 6 && u16(p, 42) == 80);

      assertThat(from.matches(director)).isTrue();
      assertThat(syn[40 + 13] & 0x12).as("SYN without ACK").isEqualTo(0x02);
      assertThat(u16(syn, 40)).isEqualTo(((InetSocketAddress) client.getLocalAddress()).getPort());
    }
    Poll.until(TIMEOUT, "tunnelled counted", () -> total(WorkerStats::tunnelled) >= 2);
  }

  @Test
  void packetAboveTheTunnelMtuIsAnsweredWithIcmpIntoTheTun() throws Exception {
    try (DatagramChannel client = ns.call(() -> DatagramChannel.open(StandardProtocolFamily.INET))) {
      client.send(ByteBuffer.wrap(new byte[TUNNEL_MTU]), new InetSocketAddress(VIP4, 53));

      Poll.until(TIMEOUT, () -> "an ICMP error written, stats " + workers.stream().map(Worker::stats).toList(),
          () -> total(WorkerStats::icmpSent) == 1);
    }
    assertThat(total(s -> s.drops().getOrDefault("TOO_BIG", 0L))).isEqualTo(1);
    assertThat(total(WorkerStats::tunnelled)).isZero();
  }

  @Test
  void packetsToOtherServicesAreCountedDrops() throws Exception {
    try (DatagramChannel client = ns.call(() -> DatagramChannel.open(StandardProtocolFamily.INET))) {
      client.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(VIP4, 54));

      Poll.until(TIMEOUT, "NOT_A_SERVICE counted",
          () -> total(s -> s.drops().getOrDefault("NOT_A_SERVICE", 0L)) >= 1);
    }
    assertThat(total(WorkerStats::received)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void stopEndsTheLoopsPromptly() throws Exception {
    long start = System.nanoTime();
    for (Worker w : workers) {
      w.stop();
    }
    for (Thread t : threads) {
      t.join(TIMEOUT.toMillis());
      assertThat(t.isAlive()).isFalse();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
  }
}
