package org.example.lb.l4.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.example.lb.l4.endpoint.TunnelPackets.encapsulate;
import static org.example.lb.l4.endpoint.TunnelPackets.ip;
import static org.example.lb.l4.endpoint.TunnelPackets.udp;
import static org.example.lb.l4.testing.TwoNamespaces.FIRST_IPV4;
import static org.example.lb.l4.testing.TwoNamespaces.FIRST_IPV6;
import static org.example.lb.l4.testing.TwoNamespaces.SECOND_IPV4;
import static org.example.lb.l4.testing.TwoNamespaces.SECOND_IPV6;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.test.Poll;
import org.example.lb.common.test.Tools;
import org.example.lb.l4.nativeio.RawSocket;
import org.example.lb.l4.nativeio.SockAddr;
import org.example.lb.l4.packet.Verdict;
import org.example.lb.l4.testing.TestNamespace;
import org.example.lb.l4.testing.TwoNamespaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The endpoint in a throwaway "LB7" namespace, fed by hand-built tunnel packets from a "director" namespace across a
 * veth pair; the VIPs are on the LB7's lo, as in production.
 */
class EndpointNodeTest {
  private static final String VIP4 = "203.0.113.10";
  private static final String VIP6 = "2001:db8:10::10";
  private static final String OTHER_VIP4 = "203.0.113.11";
  private static final String CLIENT4 = "198.51.100.7";
  private static final String CLIENT6 = "2001:db8:c::7";
  private static final int PORT = 5000;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final String DEVICE = "lb7tun0";

  @TempDir
  Path dir;

  private TwoNamespaces net;
  private TestNamespace director;
  private TestNamespace lb7;
  private EndpointNode node;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Arena arena = Arena.ofShared();
  private Path configFile;
  private DatagramSocket vip4;
  private DatagramSocket vip6;
  private RawSocket sendIpv4;
  private int sequence;
  private Process child;

  @BeforeEach
  void setUp() throws Exception {
    Tools.requireRoot();
    net = TwoNamespaces.create();
    director = net.first();
    lb7 = net.second();
    lb7.ip("addr", "add", VIP4 + "/32", "dev", "lo");
    lb7.ip("addr", "add", OTHER_VIP4 + "/32", "dev", "lo");
    lb7.ip("addr", "add", VIP6 + "/128", "dev", "lo");
    lb7.ip("route", "add", "198.51.100.0/24", "via", FIRST_IPV4); // the way back to the clients: not the tunnel
    lb7.ip("-6", "route", "add", "2001:db8:c::/48", "via", FIRST_IPV6);
    director.ip("addr", "add", CLIENT4 + "/32", "dev", "lo"); // the director's side also plays the client
    configFile = dir.resolve("tunnel-endpoint.yaml");
    vip4 = open(lb7.call(() -> new DatagramSocket(new InetSocketAddress(ip(VIP4), PORT))));
    vip6 = open(lb7.call(() -> new DatagramSocket(new InetSocketAddress(ip(VIP6), PORT))));
    sendIpv4 = open(director.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_RAW)));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (child != null && child.isAlive()) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // this process only, by PID
    }
    if (node != null) {
      node.close();
    }
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
    arena.close();
    if (net != null) {
      net.close();
    }
  }

  private <T extends AutoCloseable> T open(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  private void createOperatorDevice() throws Exception {
    lb7.ip("tuntap", "add", "dev", DEVICE, "mode", "tun");
    lb7.ip("link", "set", DEVICE, "up");
  }

  private static String config(String vips, String directors) {
    return "node: lb7-test\ndevice: " + DEVICE + "\nvips: " + vips + "\n"
        + (directors == null ? "" : "directors: " + directors + "\n");
  }

  private static final String VIPS = "[\"" + VIP4 + "\", \"" + VIP6 + "\"]";
  private static final String DIRECTORS = "[\"" + FIRST_IPV4 + "\", \"" + FIRST_IPV6 + "\"]";

  private EndpointNode start(String yaml) throws Exception {
    Files.writeString(configFile, yaml);
    EndpointConfig config = ConfigLoader.load(configFile, EndpointConfig.class);
    node = lb7.call(() -> EndpointNode.start(configFile, config));
    return node;
  }

  private EndpointNode startWithOperatorDevice() throws Exception {
    createOperatorDevice();
    return start(config(VIPS, DIRECTORS));
  }

  private MemorySegment nativeCopy(byte[] bytes) {
    MemorySegment s = arena.allocate(bytes.length);
    s.copyFrom(MemorySegment.ofArray(bytes));
    return s;
  }

  /** Sends {@code inner} in an IPv4 outer header we build (IP_HDRINCL), from {@code outerSource}. */
  private void sendOverIpv4(String outerSource, byte[] inner) throws Exception {
    byte[] packet = encapsulate(outerSource, SECOND_IPV4, inner);
    assertThat(sendIpv4.sendTo(nativeCopy(packet), packet.length, SockAddr.of(ip(SECOND_IPV4))))
        .isEqualTo(packet.length);
  }

  /** Sends {@code inner} over IPv6, the kernel building the outer header (next header 4 or 41 by the socket). */
  private void sendOverIpv6(byte[] inner) throws Exception {
    int protocol = (inner[0] >> 4) == 6 ? RawSocket.IPPROTO_IPV6 : RawSocket.IPPROTO_IPIP;
    try (RawSocket socket = director.call(() -> RawSocket.ipv6(protocol))) {
      assertThat(socket.sendTo(nativeCopy(inner), inner.length, SockAddr.of(ip(SECOND_IPV6))))
          .isEqualTo(inner.length);
    }
  }

  /** Sends {@code inner} in an IPv6 outer header we build (any source), through an IPPROTO_RAW socket. */
  private void sendOverIpv6From(String outerSource, byte[] inner) throws Exception {
    byte[] packet = encapsulate(outerSource, SECOND_IPV6, inner);
    try (RawSocket socket = director.call(() -> RawSocket.ipv6(RawSocket.IPPROTO_RAW))) {
      assertThat(socket.sendTo(nativeCopy(packet), packet.length, SockAddr.of(ip(SECOND_IPV6))))
          .isEqualTo(packet.length);
    }
  }

  private byte[] udpTo(String vip, String text) {
    String client = vip.contains(":") ? CLIENT6 : CLIENT4;
    return udp(client, vip, 40000 + sequence++, PORT, text.getBytes(StandardCharsets.US_ASCII));
  }

  private static String receive(DatagramSocket socket) throws Exception {
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    socket.receive(p);
    return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
  }

  /** The delivered count is taken after the TUN write, so a reader of the socket may see the packet first. */
  private void awaitDelivered(long count) {
    Poll.until(TIMEOUT, () -> "delivered = " + count + " (status " + node.status() + ")",
        () -> node.delivered() == count);
  }

  private void awaitDropped(Verdict verdict, long count) {
    Poll.until(TIMEOUT, () -> verdict + " drops = " + count + " (status " + node.status() + ")",
        () -> node.dropped(verdict) == count);
  }

  @Test
  void ipv4InIpv4ReachesTheVip() throws Exception {
    startWithOperatorDevice();

    sendOverIpv4(FIRST_IPV4, udpTo(VIP4, "4in4"));

    assertThat(receive(vip4)).isEqualTo("4in4");
    Poll.until(TIMEOUT, "delivered counted", () -> node.delivered() == 1);
    assertThat(node.deviceCreated()).as("attached to the operator's device").isFalse();
  }

  @Test
  void ipv6InIpv6ReachesTheVip() throws Exception {
    startWithOperatorDevice();

    sendOverIpv6(udpTo(VIP6, "6in6"));

    assertThat(receive(vip6)).isEqualTo("6in6");
  }

  @Test
  void ipv6InIpv4ReachesTheVip() throws Exception {
    startWithOperatorDevice();

    sendOverIpv4(FIRST_IPV4, udpTo(VIP6, "6in4"));

    assertThat(receive(vip6)).isEqualTo("6in4");
  }

  @Test
  void ipv4InIpv6ReachesTheVip() throws Exception {
    startWithOperatorDevice();

    sendOverIpv6(udpTo(VIP4, "4in6"));

    assertThat(receive(vip4)).isEqualTo("4in6");
    assertThat(node.socketLabels()).containsExactly("ipv4/4", "ipv4/41", "ipv6/41", "ipv6/4");
  }

  @Test
  void packetToAnAddressThatIsNoVipIsDroppedAndCounted() throws Exception {
    startWithOperatorDevice();

    sendOverIpv4(FIRST_IPV4, udpTo(OTHER_VIP4, "not a VIP of this endpoint")); // on lo, but not configured
    awaitDropped(Verdict.UNKNOWN_VIP, 1);
    DatagramSocket other = open(lb7.call(() -> new DatagramSocket(new InetSocketAddress(ip(OTHER_VIP4), PORT))));
    sendOverIpv4(FIRST_IPV4, udpTo(OTHER_VIP4, "still not"));
    sendOverIpv4(FIRST_IPV4, udpTo(VIP4, "a VIP"));

    assertThat(receive(vip4)).isEqualTo("a VIP");
    awaitDropped(Verdict.UNKNOWN_VIP, 2);
    other.setSoTimeout(1);
    assertThatThrownBy(() -> other.receive(new DatagramPacket(new byte[100], 100)))
        .as("nothing delivered to the unconfigured address").isInstanceOf(SocketTimeoutException.class);
    awaitDelivered(1);
  }

  @Test
  void tunnelFromAnUnknownSourceIsDroppedAndCounted() throws Exception {
    startWithOperatorDevice();

    sendOverIpv4("192.0.2.99", udpTo(VIP4, "forged over IPv4"));
    sendOverIpv6From("2001:db8::99", udpTo(VIP4, "forged over IPv6"));
    sendOverIpv6From(FIRST_IPV6, udpTo(VIP4, "from the director"));

    assertThat(receive(vip4)).isEqualTo("from the director");
    awaitDropped(Verdict.UNKNOWN_TUNNEL_SOURCE, 2);
    awaitDelivered(1);
  }

  @Test
  void withoutDirectorsAnySourceIsAccepted() throws Exception {
    createOperatorDevice();
    start(config(VIPS, null));

    sendOverIpv4("192.0.2.99", udpTo(VIP4, "from anywhere"));

    assertThat(receive(vip4)).isEqualTo("from anywhere");
    assertThat(node.status().get("directors")).isEqualTo("any");
  }

  @Test
  void garbageIsCountedAndTheLoopKeepsServing() throws Exception {
    startWithOperatorDevice();
    byte[] valid = udpTo(VIP4, "x");

    sendOverIpv4(FIRST_IPV4, Arrays.copyOf(valid, 10)); // truncated inner header
    byte[] badChecksum = valid.clone();
    badChecksum[10] ^= 0x55;
    sendOverIpv4(FIRST_IPV4, badChecksum);
    sendOverIpv6(new byte[] {0x45, 0, 0, 20}); // 4in6, inner IPv4 header cut short
    sendOverIpv4(FIRST_IPV4, udpTo(VIP6, "y")); // fine: 6in4
    byte[] versionMismatch = udpTo(VIP6, "z");
    try (RawSocket socket = director.call(() -> RawSocket.ipv6(RawSocket.IPPROTO_IPIP))) { // IPv6 inner, proto 4
      socket.sendTo(nativeCopy(versionMismatch), versionMismatch.length, SockAddr.of(ip(SECOND_IPV6)));
    }
    sendOverIpv4(FIRST_IPV4, udpTo(VIP4, "after the garbage"));

    assertThat(receive(vip6)).isEqualTo("y");
    assertThat(receive(vip4)).isEqualTo("after the garbage");
    Poll.until(TIMEOUT, () -> "4 drops: " + node.status(), () -> node.dropped(Verdict.TRUNCATED)
        + node.dropped(Verdict.BAD_CHECKSUM) + node.dropped(Verdict.INNER_VERSION_MISMATCH) == 4);
    assertThat(node.dropped(Verdict.BAD_CHECKSUM)).isEqualTo(1);
    assertThat(node.dropped(Verdict.INNER_VERSION_MISMATCH)).isEqualTo(1);
    awaitDelivered(2);
  }

  @Test
  void reloadSwapsVipsAndDirectorsWithoutRestart() throws Exception {
    startWithOperatorDevice();
    DatagramSocket other = open(lb7.call(() -> new DatagramSocket(new InetSocketAddress(ip(OTHER_VIP4), PORT))));
    sendOverIpv4(FIRST_IPV4, udpTo(VIP4, "before"));
    assertThat(receive(vip4)).isEqualTo("before");

    Files.writeString(configFile, config("[\"" + OTHER_VIP4 + "\"]", "[\"192.0.2.99\"]"));
    assertThat(node.reloadConfig()).isTrue();

    sendOverIpv4("192.0.2.99", udpTo(OTHER_VIP4, "new VIP, new director"));
    assertThat(receive(other)).isEqualTo("new VIP, new director");
    sendOverIpv4("192.0.2.99", udpTo(VIP4, "old VIP"));
    awaitDropped(Verdict.UNKNOWN_VIP, 1);
    sendOverIpv4(FIRST_IPV4, udpTo(OTHER_VIP4, "old director"));
    awaitDropped(Verdict.UNKNOWN_TUNNEL_SOURCE, 1);
    assertThat(node.config().vips()).containsExactly(OTHER_VIP4);
  }

  @Test
  void reloadsUnderTrafficLoseNoPacket() throws Exception {
    startWithOperatorDevice();
    byte[] packet = encapsulate(FIRST_IPV4, SECOND_IPV4, udpTo(VIP4, "steady"));
    MemorySegment out = nativeCopy(packet);
    SockAddr to = SockAddr.of(ip(SECOND_IPV4));
    String[] configs = {config(VIPS, DIRECTORS), config("[\"" + VIP4 + "\", \"" + OTHER_VIP4 + "\"]", DIRECTORS)};
    for (int sent = 0, batch = 0; sent < 5_000; batch++) {
      for (int i = 0; i < 100; i++) {
        sendIpv4.sendTo(out, packet.length, to);
      }
      sent += 100;
      Files.writeString(configFile, configs[batch & 1]);
      assertThat(node.reloadConfig()).isTrue(); // while the batch is in flight
      long expected = sent;
      Poll.until(TIMEOUT, "received " + expected, () -> node.received() >= expected);
    }

    Poll.until(TIMEOUT, () -> "5000 delivered: " + node.status(), () -> node.delivered() == 5_000);
    assertThat(node.status().get("drops")).isEqualTo(java.util.Map.of());
    assertThat((Long) ((java.util.Map<?, ?>) node.status().get("reloads")).get("applied"))
        .as("reloads while packets flowed").isEqualTo(50);
  }

  @Test
  void invalidReloadKeepsTheRunningConfig() throws Exception {
    startWithOperatorDevice();

    Files.writeString(configFile, config("[\"" + VIP4 + "\", \"not-an-address\"]", DIRECTORS));
    assertThat(node.reloadConfig()).isFalse();

    sendOverIpv4(FIRST_IPV4, udpTo(VIP4, "still served"));
    assertThat(receive(vip4)).isEqualTo("still served");
    assertThat(node.config().vips()).containsExactly(VIP4, VIP6);
    assertThat(node.status().get("reloads").toString())
        .contains("refused=1", "vips[1]: not-an-address (expected: an IPv4 or IPv6 address literal)");
  }

  @Test
  void reloadReportsFieldsThatNeedARestartAndKeepsThem() throws Exception {
    startWithOperatorDevice();

    Files.writeString(configFile, config(VIPS, DIRECTORS).replace(DEVICE, "other0"));
    assertThat(node.reloadConfig()).isTrue();

    assertThat(node.config().device()).isEqualTo(DEVICE);
    sendOverIpv4(FIRST_IPV4, udpTo(VIP4, "same device"));
    assertThat(receive(vip4)).isEqualTo("same device");
  }

  @Test
  void tcpHandshakeGoesThroughTheTunnelAndTheSynAckStraightBackToTheClient() throws Exception {
    startWithOperatorDevice();
    var server = open(lb7.call(() -> java.nio.channels.ServerSocketChannel.open()
        .bind(new InetSocketAddress(ip(VIP4), 8080))));
    RawSocket tcp = open(director.call(() -> RawSocket.ipv4(6))); // sees the SYN-ACK the client's stack gets
    tcp.setNonBlocking(true);
    int seq = 0x1234_5678;

    sendOverIpv4(FIRST_IPV4, TunnelPackets.tcpSyn(CLIENT4, VIP4, 41000, 8080, seq));

    MemorySegment buffer = arena.allocate(2048);
    byte[] synAck = Poll.until(TIMEOUT, "a SYN-ACK from the VIP", () -> {
      try {
        if (!tcp.awaitReadable(50)) {
          return null;
        }
        int n = tcp.receive(buffer);
        return n < 0 ? null : buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, p -> p != null && p[9] == 6 && TunnelPackets.u16(p, 20) == 8080 && TunnelPackets.u16(p, 22) == 41000);

    assertThat(Arrays.copyOfRange(synAck, 12, 16)).as("from the VIP").isEqualTo(ip(VIP4).getAddress());
    assertThat(Arrays.copyOfRange(synAck, 16, 20)).as("to the client").isEqualTo(ip(CLIENT4).getAddress());
    assertThat(synAck[33] & 0xff).as("TCP flags").isEqualTo(TunnelPackets.TCP_SYN | TunnelPackets.TCP_ACK);
    assertThat(TunnelPackets.u32(synAck, 28)).as("acknowledges our SYN").isEqualTo(seq + 1L);
    assertThat(server.isOpen()).isTrue();
  }

  @Test
  void kernelSendsNoIcmpErrorForTunnelPacketsTheEndpointConsumes() throws Exception {
    startWithOperatorDevice();
    RawSocket icmp = open(director.call(() -> RawSocket.ipv4(1)));
    RawSocket icmpv6 = open(director.call(() -> RawSocket.ipv6(58)));

    sendOverIpv4(FIRST_IPV4, udpTo(VIP4, "a"));
    sendOverIpv4(FIRST_IPV4, udpTo(VIP6, "b"));
    sendOverIpv6(udpTo(VIP6, "c"));
    sendOverIpv6(udpTo(VIP4, "d"));
    Poll.until(TIMEOUT, "4 delivered", () -> node.delivered() == 4);
    // An ICMP error would have been queued while the kernel handled the tunnel packets, before the echo replies.
    sendEcho(icmp, icmpv6);

    assertThat(icmpTypesUntilEchoReply(icmp, false)).as("ICMP before the echo reply").containsExactly(0);
    assertThat(icmpTypesUntilEchoReply(icmpv6, true)).as("ICMPv6 errors before the echo reply")
        .noneMatch(t -> t < 128).endsWith(129);
  }

  @Test
  void withoutAnEndpointTheKernelAnswersWithProtocolUnreachable() throws Exception {
    RawSocket icmp = open(director.call(() -> RawSocket.ipv4(1)));
    RawSocket icmpv6 = open(director.call(() -> RawSocket.ipv6(58)));

    sendOverIpv4(FIRST_IPV4, udpTo(VIP4, "nobody home"));
    sendOverIpv6(udpTo(VIP6, "nobody home"));
    sendEcho(icmp, icmpv6);

    assertThat(icmpTypesUntilEchoReply(icmp, false)).as("destination unreachable, then the echo reply")
        .containsExactly(3, 0);
    assertThat(icmpTypesUntilEchoReply(icmpv6, true)).as("parameter problem (unknown next header)")
        .contains(4).endsWith(129);
  }

  private void sendEcho(RawSocket icmp, RawSocket icmpv6) throws Exception {
    byte[] echo = TunnelPackets.icmpEcho(0x4c42);
    icmp.sendTo(nativeCopy(echo), echo.length, SockAddr.of(ip(SECOND_IPV4)));
    byte[] echo6 = TunnelPackets.icmpv6Echo(0x4c42);
    icmpv6.sendTo(nativeCopy(echo6), echo6.length, SockAddr.of(ip(SECOND_IPV6)));
  }

  /** ICMP types received until (and including) an echo reply (0 / 129). */
  private List<Integer> icmpTypesUntilEchoReply(RawSocket socket, boolean ipv6) throws Exception {
    List<Integer> types = new ArrayList<>();
    MemorySegment buffer = arena.allocate(2048);
    int reply = ipv6 ? 129 : 0;
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!socket.awaitReadable(100)) {
        continue;
      }
      int n = socket.receive(buffer);
      int at = ipv6 ? 0 : (buffer.get(ValueLayout.JAVA_BYTE, 0) & 0xf) * 4;
      if (n <= at) {
        continue;
      }
      int type = buffer.get(ValueLayout.JAVA_BYTE, at) & 0xff;
      if (ipv6 && (type == 133 || type == 134 || type == 135 || type == 136 || type == 143)) {
        continue; // neighbour discovery and MLD
      }
      types.add(type);
      if (type == reply) {
        return types;
      }
    }
    throw new AssertionError("no echo reply within " + TIMEOUT + "; ICMP types seen: " + types);
  }

  private void setRpFilter(String scope, int value) throws Exception {
    lb7.call(() -> Files.writeString(Path.of("/proc/sys/net/ipv4/conf/" + scope + "/rp_filter"), value + "\n"));
  }

  private int rpFilter(String scope) throws Exception {
    return Integer.parseInt(lb7.call(() -> Files.readString(Path.of("/proc/sys/net/ipv4/conf/" + scope + "/rp_filter")))
        .strip());
  }

  /** The LB7 kernel's count of packets its reverse-path filter dropped (TcpExt IPReversePathFilter). */
  private long reversePathDrops() throws Exception {
    List<String> lines = lb7.call(() -> Files.readAllLines(Path.of("/proc/thread-self/net/netstat")));
    for (int i = 0; i + 1 < lines.size(); i += 2) {
      List<String> names = Arrays.asList(lines.get(i).split(" "));
      int at = names.indexOf("IPReversePathFilter");
      if (at >= 0) {
        return Long.parseLong(lines.get(i + 1).split(" ")[at]);
      }
    }
    throw new AssertionError("no IPReversePathFilter counter in /proc/net/netstat");
  }

  @Test
  void kernelDropsDecapsulatedPacketsUnlessFilteringIsOffOrLooseOnADeviceWithAnAddress() throws Exception {
    startWithOperatorDevice();
    int[][] cases = {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {2, 0}, {2, 2}};
    for (boolean withAddress : new boolean[] {false, true}) {
      if (withAddress) {
        lb7.ip("addr", "add", "203.0.113.254/32", "dev", DEVICE);
      }
      for (int[] c : cases) {
        setRpFilter("all", c[0]);
        setRpFilter(DEVICE, c[1]);
        long dropsBefore = reversePathDrops();
        String what = "all=" + c[0] + " " + DEVICE + "=" + c[1] + (withAddress ? " with" : " without") + " an address";

        sendOverIpv4(FIRST_IPV4, udpTo(VIP4, what));

        if (ReversePathFilter.passes(c[0], c[1], withAddress)) {
          assertThat(receive(vip4)).as(what).isEqualTo(what);
        } else {
          Poll.until(TIMEOUT, "dropped by the reverse-path filter: " + what, () -> {
            try {
              return reversePathDrops() == dropsBefore + 1;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
        }
      }
    }
  }

  @Test
  void filteringOnTheDeviceRefusesToStartNamingTheSysctl() throws Exception {
    createOperatorDevice();
    setRpFilter(DEVICE, 1);

    assertThatThrownBy(() -> start(config(VIPS, DIRECTORS)))
        .isInstanceOf(ServiceMain.UserError.class)
        .hasMessage("reverse-path filtering (net.ipv4.conf.all.rp_filter=0, net.ipv4.conf." + DEVICE + ".rp_filter=1, "
            + "no IPv4 address on " + DEVICE + ") would drop every decapsulated IPv4 packet: set sysctl net.ipv4.conf."
            + DEVICE + ".rp_filter=0, or relaxReversePathFilter: true to let the endpoint set it");
    node = null;
    assertThat(lb7.call(() -> EndpointNode.interfaceExists(DEVICE))).as("the operator's device stays").isTrue();
  }

  @Test
  void relaxingSetsOnlyTheDevicesOwnValue() throws Exception {
    createOperatorDevice();
    setRpFilter(DEVICE, 1);

    start(config(VIPS, DIRECTORS) + "relaxReversePathFilter: true\n");
    sendOverIpv4(FIRST_IPV4, udpTo(VIP4, "filter off"));

    assertThat(receive(vip4)).isEqualTo("filter off");
    assertThat(rpFilter(DEVICE)).isZero();
    assertThat(node.status().get("reversePathFilter").toString()).contains("set from 1 by relaxReversePathFilter");
  }

  @Test
  void relaxingUsesLooseFilteringWhenAllIsStrictAndTheDeviceHasAnAddress() throws Exception {
    createOperatorDevice();
    lb7.ip("addr", "add", "203.0.113.254/32", "dev", DEVICE);
    setRpFilter("all", 1);

    start(config(VIPS, DIRECTORS) + "relaxReversePathFilter: true\n");
    sendOverIpv4(FIRST_IPV4, udpTo(VIP4, "loose"));

    assertThat(receive(vip4)).isEqualTo("loose");
    assertThat(rpFilter(DEVICE)).isEqualTo(2);
    assertThat(rpFilter("all")).as("never touched").isEqualTo(1);
  }

  @Test
  void filteringOnAllCannotBeRelaxedForADeviceWithoutAddress() throws Exception {
    createOperatorDevice();
    setRpFilter("all", 2); // systemd's default

    assertThatThrownBy(() -> start(config(VIPS, DIRECTORS) + "relaxReversePathFilter: true\n"))
        .isInstanceOf(ServiceMain.UserError.class)
        .hasMessageEndingWith("would drop every decapsulated IPv4 packet: set sysctl net.ipv4.conf.all.rp_filter=0 and "
            + "net.ipv4.conf." + DEVICE + ".rp_filter=0 (a device without an IPv4 address passes them only with "
            + "filtering off), or give " + DEVICE + " an IPv4 address and set net.ipv4.conf." + DEVICE + ".rp_filter=2");
    node = null;
    assertThat(rpFilter("all")).isEqualTo(2);
  }

  @Test
  void missingDeviceIsCreatedDownAndWritesAreCountedAsErrors() throws Exception {
    start(config(VIPS, DIRECTORS));
    assertThat(node.deviceCreated()).isTrue();

    sendOverIpv4(FIRST_IPV4, udpTo(VIP4, "device down"));

    Poll.until(TIMEOUT, () -> "a TUN write error: " + node.status(), () -> node.tunWriteErrors() == 1);
    assertThat(node.status().get("lastTunWriteError").toString()).startsWith("EIO");

    lb7.ip("link", "set", DEVICE, "up"); // what the log line tells the operator
    sendOverIpv4(FIRST_IPV4, udpTo(VIP4, "device up"));
    assertThat(receive(vip4)).isEqualTo("device up");

    node.close();
    node = null;
    assertThat(lb7.call(() -> EndpointNode.interfaceExists(DEVICE))).as("a created device goes away").isFalse();
  }

  @Test
  void statusCommandShowsVipsDirectorsDropsAndPackets() throws Exception {
    startWithOperatorDevice();
    sendOverIpv4(FIRST_IPV4, udpTo(VIP4, "in"));
    sendOverIpv4(FIRST_IPV4, udpTo(OTHER_VIP4, "dropped"));
    assertThat(receive(vip4)).isEqualTo("in");
    awaitDropped(Verdict.UNKNOWN_VIP, 1);

    String text = lb7.call(() -> status("status", "--admin-port", "9300"));
    String json = lb7.call(() -> status("status", "--json"));
    String metrics = lb7.call(() -> new String(java.net.URI.create("http://127.0.0.1:9300/metrics").toURL()
        .openStream().readAllBytes(), StandardCharsets.UTF_8));

    assertThat(text).contains("tunnel endpoint lb7-test on " + DEVICE + " (the operator's device)",
        "VIPs:      " + VIP4 + ", " + VIP6, "directors: " + FIRST_IPV4 + ", " + FIRST_IPV6,
        "packets:   in 2, out 1, dropped 1", "drops:     UNKNOWN_VIP 1", "IPv4 in IPv4 2");
    assertThat(ConfigLoader.json().readTree(json).path("drops").path("UNKNOWN_VIP").asLong()).isEqualTo(1);
    assertThat(metrics).contains("lb_endpoint_received_packets_total{socket=\"ipv4/4\"} 2",
        "lb_endpoint_delivered_packets_total 1", "lb_endpoint_dropped_packets_total{verdict=\"UNKNOWN_VIP\"} 1");
  }

  @Test
  void runCommandReloadsOnSighupAndStopsCleanlyOnSigterm() throws Exception {
    createOperatorDevice();
    Files.writeString(configFile, config(VIPS, DIRECTORS));
    DatagramSocket other = open(lb7.call(() -> new DatagramSocket(new InetSocketAddress(ip(OTHER_VIP4), PORT))));
    Path log = dir.resolve("endpoint.log");
    String javaCommand = ProcessHandle.current().info().command().orElseThrow();
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    child = new ProcessBuilder("ip", "netns", "exec", lb7.name(), javaCommand, "--enable-native-access=ALL-UNNAMED",
        "-XX:TieredStopAtLevel=1", "-cp", classPath, EndpointCommand.class.getName(), "run", "--config",
        configFile.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Poll.untilAsserted(Duration.ofSeconds(30), IllegalStateException.class, () -> {
      assertThat(child.isAlive()).as("endpoint running; log: %s", readQuietly(log)).isTrue();
      try {
        lb7.call(() -> EndpointCommand.fetchStatus(EndpointConfig.Admin.DEFAULT_PORT));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    sendOverIpv4(FIRST_IPV4, udpTo(VIP4, "to the child"));
    assertThat(receive(vip4)).isEqualTo("to the child");

    Files.writeString(configFile, config("[\"" + OTHER_VIP4 + "\"]", DIRECTORS));
    signal("HUP");
    Poll.until(TIMEOUT, "the reload applied", () -> statusOfChild().contains(OTHER_VIP4));
    sendOverIpv4(FIRST_IPV4, udpTo(OTHER_VIP4, "after SIGHUP"));
    assertThat(receive(other)).isEqualTo("after SIGHUP");

    signal("TERM");
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
    assertThat(child.exitValue()).isZero();
    assertThat(Files.readString(log)).contains("reloaded: VIPs [" + OTHER_VIP4 + "]", "SIGTERM: shutting down",
        "tunnel endpoint stopped: 2 packets received, 2 delivered");
    assertThat(lb7.call(() -> EndpointNode.interfaceExists(DEVICE))).as("the operator's device stays").isTrue();
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(child.pid())).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }

  private String statusOfChild() {
    try {
      return lb7.call(() -> EndpointCommand.fetchStatus(EndpointConfig.Admin.DEFAULT_PORT));
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static String status(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new EndpointCommand());
    cl.setOut(new PrintWriter(out));
    int code = cl.execute(args);
    assertThat(code).as("exit code of status, output: %s", out).isZero();
    return out.toString();
  }

  @Test
  void packetLoopAllocatesNothingPerPacket() throws Exception {
    startWithOperatorDevice();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    threads.setThreadAllocatedMemoryEnabled(true);
    byte[] packet = encapsulate(FIRST_IPV4, SECOND_IPV4, udpTo(OTHER_VIP4, "counted drop, no socket needed"));
    MemorySegment out = nativeCopy(packet);
    SockAddr lb7Address = SockAddr.of(ip(SECOND_IPV4));

    sendInBatches(out, packet.length, lb7Address, 20_000); // warm-up: let the JIT compile the loop
    long before = threads.getThreadAllocatedBytes(node.workerThreadId());
    sendInBatches(out, packet.length, lb7Address, 20_000);
    long allocated = threads.getThreadAllocatedBytes(node.workerThreadId()) - before;

    assertThat(node.dropped(Verdict.UNKNOWN_VIP)).isEqualTo(40_000);
    assertThat(allocated).as("bytes the packet loop allocated for 20,000 packets").isLessThan(16 * 1024);
  }

  /** Sends {@code count} copies, 200 at a time, each batch received before the next (no raw-socket overflow). */
  private void sendInBatches(MemorySegment packet, int length, SockAddr to, int count) throws Exception {
    long base = node.received();
    for (int sent = 0; sent < count; ) {
      for (int i = 0; i < 200; i++) {
        sendIpv4.sendTo(packet, length, to);
      }
      sent += 200;
      long expected = base + sent;
      Poll.until(TIMEOUT, "the endpoint received " + expected, () -> node.received() >= expected);
    }
  }
}
