package org.example.lb.l4.nativeio;

import org.example.lb.l4.testing.TestNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.example.lb.common.test.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RawSocketTest {
  private static final int TIMEOUT_MILLIS = 5_000;

  private TestNamespace ns;
  private Arena arena;
  private RawSocket sender;
  private RawSocket receiver;
  private final SourceAddress source = new SourceAddress();
  private MemorySegment outAfterHeadroom;
  private MemorySegment inAfterHeadroom;

  @BeforeEach
  void setUp() throws Exception {
    Tools.requireRoot();
    assertThat(RawSocket.isAvailable()).as("raw sockets unavailable: %s", RawSocket.unavailabilityCause()).isTrue();
    ns = TestNamespace.create();
    arena = Arena.ofConfined();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (sender != null) {
      sender.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (arena != null) {
      arena.close();
    }
    if (ns != null) {
      ns.close();
    }
  }

  private MemorySegment native_(byte[] bytes) {
    MemorySegment s = arena.allocate(bytes.length);
    s.copyFrom(MemorySegment.ofArray(bytes));
    return s;
  }

  private byte[] receiveOne(RawSocket socket) throws Exception {
    assertThat(socket.awaitReadable(TIMEOUT_MILLIS)).as("a packet on %s", socket).isTrue();
    MemorySegment buffer = arena.allocate(65536);
    int n = socket.receive(buffer);
    return buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
  }

  private static String address(byte[] packet, int offset, int length) throws Exception {
    return InetAddress.getByAddress(Arrays.copyOfRange(packet, offset, offset + length)).getHostAddress();
  }

  @Test
  void ipipPacketIsReceivedWithTheOuterHeaderTheKernelBuilt() throws Exception {
    receiver = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    sender = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    byte[] inner = Packets.ipv4Udp("198.51.100.7", "203.0.113.1", 40000, 80, "GET".getBytes(StandardCharsets.US_ASCII));

    assertThat(sender.sendTo(native_(inner), inner.length, SockAddr.of(InetAddress.getByName("127.0.0.1"))))
        .isEqualTo(inner.length);

    byte[] packet = receiveOne(receiver);
    assertThat(packet).hasSize(20 + inner.length);
    assertThat(packet[0]).isEqualTo((byte) 0x45);
    assertThat(packet[9]).as("outer protocol").isEqualTo((byte) 4);
    assertThat(address(packet, 12, 4)).isEqualTo("127.0.0.1");
    assertThat(address(packet, 16, 4)).isEqualTo("127.0.0.1");
    assertThat(Arrays.copyOfRange(packet, 20, packet.length)).isEqualTo(inner);
  }

  @Test
  void withHeaderIncludedTheOuterHeaderIsOurs() throws Exception {
    receiver = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    sender = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    sender.setHeaderIncluded(true);
    assertThat(sender.isHeaderIncluded()).isTrue();
    byte[] inner = Packets.ipv4Udp("198.51.100.7", "203.0.113.1", 40001, 443, new byte[] {1, 2, 3, 4});
    byte[] outer = Packets.ipv4Header("127.0.0.1", "127.0.0.1", 4, 7, 0x4242, inner.length);
    byte[] packet = new byte[outer.length + inner.length];
    System.arraycopy(outer, 0, packet, 0, outer.length);
    System.arraycopy(inner, 0, packet, outer.length, inner.length);

    assertThat(sender.sendTo(native_(packet), packet.length, SockAddr.of(InetAddress.getByName("127.0.0.1"))))
        .isEqualTo(packet.length);

    byte[] received = receiveOne(receiver);
    assertThat(received).hasSize(packet.length);
    assertThat(received[8]).as("our TTL").isEqualTo((byte) 7);
    assertThat(((received[4] & 0xff) << 8) | (received[5] & 0xff)).as("our id").isEqualTo(0x4242);
    assertThat(Packets.checksum(received, 0, 20)).as("checksum filled in by the kernel").isZero();
    assertThat(Arrays.copyOfRange(received, 20, received.length)).isEqualTo(inner);
  }

  @Test
  void sendOnlyRawSocketSendsOurIpipHeaderAndReceivesNothing() throws Exception {
    receiver = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    sender = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_RAW));
    assertThat(sender.isHeaderIncluded()).as("implied by IPPROTO_RAW").isTrue();
    byte[] inner = Packets.ipv4Udp("198.51.100.7", "203.0.113.1", 40003, 80, new byte[] {8});
    byte[] outer = Packets.ipv4Header("127.0.0.1", "127.0.0.1", 4, 11, 0x77, inner.length);
    byte[] packet = new byte[outer.length + inner.length];
    System.arraycopy(outer, 0, packet, 0, outer.length);
    System.arraycopy(inner, 0, packet, outer.length, inner.length);

    assertThat(sender.sendTo(native_(packet), packet.length, SockAddr.of(InetAddress.getByName("127.0.0.1"))))
        .isEqualTo(packet.length);

    byte[] received = receiveOne(receiver);
    assertThat(received[8]).as("our TTL").isEqualTo((byte) 11);
    assertThat(Arrays.copyOfRange(received, 20, received.length)).isEqualTo(inner);
    sender.setNonBlocking(true);
    assertThat(sender.receive(arena.allocate(2048))).as("an IPPROTO_RAW socket receives nothing").isEqualTo(-1);
  }

  @Test
  void sendOnlyIpv6RawSocketSendsOurIp6ip6Header() throws Exception {
    receiver = ns.call(() -> RawSocket.ipv6(RawSocket.IPPROTO_IPV6));
    sender = ns.call(() -> RawSocket.ipv6(RawSocket.IPPROTO_RAW));
    byte[] inner = Packets.ipv6("2001:db8::9", "2001:db8:1::1", 59, 64, new byte[] {6, 6});
    byte[] packet = Packets.ipv6("::1", "::1", 41, 9, inner);

    assertThat(sender.sendTo(native_(packet), packet.length, SockAddr.of(InetAddress.getByName("::1"))))
        .isEqualTo(packet.length);

    assertThat(receiveOne(receiver)).isEqualTo(inner);
  }

  @Test
  void ipv6RawSocketsReceiveThePayloadWithoutTheIpv6Header() throws Exception {
    receiver = ns.call(() -> RawSocket.ipv6(RawSocket.IPPROTO_IPV6));
    sender = ns.call(() -> RawSocket.ipv6(RawSocket.IPPROTO_IPV6));
    byte[] inner = Packets.ipv6("2001:db8::7", "2001:db8:1::1", 59 /* no next header */, 64, new byte[] {9, 9});

    assertThat(sender.sendTo(native_(inner), inner.length, SockAddr.of(InetAddress.getByName("::1"))))
        .isEqualTo(inner.length);

    assertThat(receiveOne(receiver)).isEqualTo(inner);
  }

  @Test
  void ipv6HeaderIncludedSendsOurOwnIpv6Header() throws Exception {
    receiver = ns.call(() -> RawSocket.ipv6(RawSocket.IPPROTO_IPV6));
    sender = ns.call(() -> RawSocket.ipv6(RawSocket.IPPROTO_IPV6));
    sender.setHeaderIncluded(true); // IPV6_HDRINCL, Linux 4.5+
    assertThat(sender.isHeaderIncluded()).isTrue();
    byte[] inner = Packets.ipv6("2001:db8::8", "2001:db8:1::1", 59, 64, new byte[] {5});
    byte[] packet = Packets.ipv6("::1", "::1", 41, 9, inner);

    assertThat(sender.sendTo(native_(packet), packet.length, SockAddr.of(InetAddress.getByName("::1"))))
        .isEqualTo(packet.length);

    // had the kernel added its own header, the receiver would see our header as the start of the payload
    assertThat(receiveOne(receiver)).isEqualTo(inner);
  }

  @Test
  void receiveIntoASliceReportsTheOuterSource() throws Exception {
    receiver = ns.call(() -> RawSocket.ipv6(RawSocket.IPPROTO_IPV6));
    sender = ns.call(() -> RawSocket.ipv6(RawSocket.IPPROTO_IPV6));
    byte[] inner = Packets.ipv6("2001:db8::7", "2001:db8:1::1", 59, 64, new byte[] {3});
    MemorySegment out = arena.allocate(100);
    out.asSlice(10, inner.length).copyFrom(MemorySegment.ofArray(inner));
    SockAddr loopback = SockAddr.of(InetAddress.getByName("::1"));
    SourceAddress source = new SourceAddress();
    assertThat(source.isSet()).isFalse();

    assertThat(sender.sendTo(out.asSlice(10), inner.length, loopback)).isEqualTo(inner.length);

    assertThat(receiver.awaitReadable(TIMEOUT_MILLIS)).isTrue();
    MemorySegment in = arena.allocate(2048);
    int n = receiver.receive(in.asSlice(40), source);
    assertThat(n).isEqualTo(inner.length);
    assertThat(in.asSlice(40, n).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(inner);
    assertThat(source.isIpv6()).isTrue();
    assertThat(source).hasToString("::1");
    assertThat(source.high()).as("high 64 bits of ::1").isZero();
    assertThat(source.low()).as("low 64 bits of ::1").isEqualTo(1L);
    assertThat(source.matches(loopback)).isTrue();
    assertThat(source.matches(SockAddr.of(InetAddress.getByName("2001:db8::1")))).isFalse();
    assertThat(source.matches(SockAddr.of(InetAddress.getByName("127.0.0.1")))).isFalse();
  }

  @Test
  void ipv4SourceIsReportedToo() throws Exception {
    receiver = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    sender = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    byte[] inner = Packets.ipv4Udp("198.51.100.7", "203.0.113.1", 40004, 80, new byte[] {1});
    SockAddr loopback = SockAddr.of(InetAddress.getByName("127.0.0.1"));
    sender.sendTo(native_(inner), inner.length, loopback);
    SourceAddress source = new SourceAddress();

    assertThat(receiver.awaitReadable(TIMEOUT_MILLIS)).isTrue();
    assertThat(receiver.receive(arena.allocate(2048), source)).isEqualTo(20 + inner.length);

    assertThat(source.toInetAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(source.high()).isZero();
    assertThat(source.low()).as("::ffff:127.0.0.1").isEqualTo(0x0000_ffff_7f00_0001L);
    assertThat(source.matches(loopback)).isTrue();
    assertThat(source.matches(SockAddr.of(InetAddress.getByName("127.0.0.2")))).isFalse();
  }

  @Test
  void nonBlockingReceiveReportsNothingQueuedAsMinusOneWithEagain() throws Exception {
    receiver = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    receiver.setNonBlocking(true);
    assertThat(receiver.isNonBlocking()).isTrue();
    assertThat(receiver.awaitReadable(10)).isFalse();
    assertThat(receiver.receive(arena.allocate(1500))).isEqualTo(-1);
    assertThat(receiver.lastErrno()).isSameAs(Errno.EAGAIN);
    assertThat(receiver.awaitWritable(0)).isTrue();
  }

  @Test
  void bufferSizesAreAppliedAsTheKernelDoublesThem() throws Exception {
    sender = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    sender.setReceiveBufferSize(32768);
    sender.setSendBufferSize(32768);
    assertThat(sender.receiveBufferSize()).isEqualTo(65536);
    assertThat(sender.sendBufferSize()).isEqualTo(65536);
  }

  @Test
  void bindingToAMissingDeviceFailsWithEnodev() throws Exception {
    sender = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    sender.bindToDevice("lo");
    assertThatThrownBy(() -> sender.bindToDevice("nosuchdev0"))
        .isInstanceOfSatisfying(NativeIoException.class, e -> assertThat(e.errno()).isSameAs(Errno.ENODEV))
        .hasMessageStartingWith("setsockopt(SO_BINDTODEVICE, nosuchdev0) raw4/4: ENODEV");
  }

  @Test
  void oversizedPacketFailsWithEmsgsize() throws Exception {
    sender = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    MemorySegment huge = arena.allocate(70_000);
    assertThatThrownBy(() -> sender.sendTo(huge, 70_000, SockAddr.of(InetAddress.getByName("127.0.0.1"))))
        .isInstanceOfSatisfying(NativeIoException.class, e -> assertThat(e.errno()).isSameAs(Errno.EMSGSIZE));
  }

  @Test
  void destinationOfTheOtherFamilyIsRejected() throws Exception {
    sender = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    assertThatThrownBy(() -> sender.sendTo(arena.allocate(20), 20, SockAddr.of(InetAddress.getByName("::1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("destination: ::1 (expected: an IPv4 address for raw4/4)");
  }

  @Test
  void directByteBufferIsSentFromPositionToLimit() throws Exception {
    receiver = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    sender = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    byte[] inner = Packets.ipv4Udp("198.51.100.9", "203.0.113.1", 40002, 80, new byte[] {42});
    ByteBuffer buffer = ByteBuffer.allocateDirect(100).put(new byte[3]).put(inner).flip().position(3);

    assertThat(sender.sendTo(buffer, SockAddr.of(InetAddress.getByName("127.0.0.1")))).isEqualTo(inner.length);

    assertThat(buffer.hasRemaining()).isFalse();
    byte[] received = receiveOne(receiver);
    assertThat(Arrays.copyOfRange(received, 20, received.length)).isEqualTo(inner);
  }

  @Test
  void sendAndReceiveLoopAllocatesNothing() throws Exception {
    receiver = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    sender = ns.call(() -> RawSocket.ipv4(RawSocket.IPPROTO_IPIP));
    receiver.setNonBlocking(true);
    sender.setNonBlocking(true);
    byte[] inner = Packets.ipv4Udp("198.51.100.7", "203.0.113.1", 40000, 80, new byte[32]);
    MemorySegment out = native_(inner);
    MemorySegment in = arena.allocate(2048);
    outAfterHeadroom = arena.allocate(20 + inner.length).asSlice(20); // sliced once, outside the loop
    outAfterHeadroom.copyFrom(out);
    inAfterHeadroom = in.asSlice(20);
    SockAddr destination = SockAddr.of(InetAddress.getByName("127.0.0.1"));
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();

    int received = loop(out, inner.length, destination, in, 50_000); // warm-up: let the JIT compile the loop
    long before = threads.getThreadAllocatedBytes(tid);
    received += loop(out, inner.length, destination, in, 10_000);
    long allocated = threads.getThreadAllocatedBytes(tid) - before;

    assertThat(received).as("packets received").isPositive();
    assertThat(allocated).as("bytes allocated by 10,000 iterations of two sends and receives").isLessThan(10_000);
  }

  private int loop(MemorySegment out, int length, SockAddr destination, MemorySegment in, int iterations)
      throws NativeIoException {
    int received = 0;
    SourceAddress source = this.source;
    for (int i = 0; i < iterations; i++) {
      sender.sendTo(out, length, destination);
      if (receiver.receive(in) > 0) {
        received++;
      }
      sender.sendTo(outAfterHeadroom, length, destination);
      if (receiver.receive(inAfterHeadroom, source) > 0 && source.matches(destination)) {
        received++;
      }
      sender.receive(in); // the sender is a protocol-4 raw socket too: it gets a copy; keep its queue empty
    }
    return received;
  }
}
