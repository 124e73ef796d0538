package org.example.lb.l4.nativeio;

import org.example.lb.l4.testing.TestNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.example.lb.common.test.Poll;
import org.example.lb.common.test.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TunDeviceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private TestNamespace ns;
  private TunDevice tun;
  private DatagramChannel udp;
  private Arena arena;

  @BeforeEach
  void setUp() throws Exception {
    Tools.requireRoot();
    assertThat(TunDevice.isAvailable()).as("TUN unavailable: %s", TunDevice.unavailabilityCause()).isTrue();
    ns = TestNamespace.create();
    arena = Arena.ofConfined();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (udp != null) {
      udp.close();
    }
    if (tun != null) {
      tun.close();
    }
    if (arena != null) {
      arena.close();
    }
    if (ns != null) {
      ns.close();
    }
  }

  private void openUp(boolean multiQueue, int queues) throws Exception {
    tun = ns.call(() -> TunDevice.open("tun0", multiQueue, queues));
    ns.ip("link", "set", "tun0", "up");
    ns.ip("addr", "add", "192.0.2.1/24", "dev", "tun0");
    udp = ns.call(() -> DatagramChannel.open(StandardProtocolFamily.INET));
  }

  /** Reads packets from {@code queue} until an IPv4/UDP packet to {@code port} arrives; returns its bytes. */
  private static byte[] readUdpTo(TunDevice.Queue queue, MemorySegment buffer, int port) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!queue.awaitReadable(100)) {
        continue;
      }
      int n = queue.read(buffer);
      if (n >= 28 && (buffer.get(ValueLayout.JAVA_BYTE, 0) >> 4) == 4 && buffer.get(ValueLayout.JAVA_BYTE, 9) == 17
          && (Short.toUnsignedInt(buffer.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(
              java.nio.ByteOrder.BIG_ENDIAN), 22)) == port)) {
        return buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
      }
    }
    throw new AssertionError("no UDP packet to port " + port + " on " + queue + " within " + TIMEOUT);
  }

  @Test
  void datagramRoutedIntoTheTunIsReadAsABareIpPacket() throws Exception {
    openUp(false, 1);
    assertThat(tun.name()).isEqualTo("tun0");
    udp.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), new InetSocketAddress("192.0.2.2", 9999));

    byte[] packet = readUdpTo(tun.queue(0), arena.allocate(2048), 9999);

    assertThat(packet).hasSize(20 + 8 + 5);
    assertThat(InetAddress.getByAddress(java.util.Arrays.copyOfRange(packet, 12, 16)).getHostAddress())
        .isEqualTo("192.0.2.1");
    assertThat(InetAddress.getByAddress(java.util.Arrays.copyOfRange(packet, 16, 20)).getHostAddress())
        .isEqualTo("192.0.2.2");
    assertThat(new String(packet, 28, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
  }

  @Test
  void packetWrittenIntoTheTunReachesALocalUdpSocket() throws Exception {
    openUp(false, 1);
    udp.bind(new InetSocketAddress("192.0.2.1", 0));
    int port = ((InetSocketAddress) udp.getLocalAddress()).getPort();
    byte[] packet = Packets.ipv4Udp("192.0.2.2", "192.0.2.1", 4242, port, "ping".getBytes(StandardCharsets.US_ASCII));
    MemorySegment out = arena.allocate(packet.length);
    out.copyFrom(MemorySegment.ofArray(packet));

    assertThat(tun.queue(0).write(out, packet.length)).isEqualTo(packet.length);

    udp.configureBlocking(false);
    ByteBuffer received = ByteBuffer.allocate(100);
    InetSocketAddress from = (InetSocketAddress) Poll.value(TIMEOUT, "the datagram on " + udp, () -> {
      try {
        return udp.receive(received);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(from).isEqualTo(new InetSocketAddress("192.0.2.2", 4242));
    assertThat(new String(received.array(), 0, received.position(), StandardCharsets.US_ASCII)).isEqualTo("ping");
  }

  @Test
  void directByteBuffersWorkLikeSegments() throws Exception {
    openUp(false, 1);
    udp.bind(new InetSocketAddress("192.0.2.1", 0));
    int port = ((InetSocketAddress) udp.getLocalAddress()).getPort();
    byte[] packet = Packets.ipv4Udp("192.0.2.2", "192.0.2.1", 4243, port, new byte[] {1, 2, 3});
    ByteBuffer out = ByteBuffer.allocateDirect(packet.length).put(packet).flip();

    assertThat(tun.queue(0).write(out)).isEqualTo(packet.length);
    assertThat(out.hasRemaining()).isFalse();
    assertThatThrownBy(() -> tun.queue(0).write(ByteBuffer.wrap(packet)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nonBlockingReadReportsNothingQueuedAsMinusOneWithEagain() throws Exception {
    openUp(false, 1);
    TunDevice.Queue queue = tun.queue(0);
    queue.setNonBlocking(true);
    assertThat(queue.isNonBlocking()).isTrue();
    // the kernel may queue its own packets (e.g. IPv6 router solicitations) first: drain them
    MemorySegment buffer = arena.allocate(2048);
    Poll.until(TIMEOUT, "an empty queue", () -> {
      try {
        return queue.read(buffer) == -1;
      } catch (NativeIoException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(queue.lastErrno()).isSameAs(Errno.EAGAIN);
    assertThat(queue.awaitReadable(0)).isFalse();
  }

  @Test
  void multiQueueDeviceDeliversEveryFlowToOneOfItsQueues() throws Exception {
    openUp(true, 2);
    assertThat(tun.queues()).hasSize(2);
    assertThat(tun.multiQueue()).isTrue();
    assertThat(tun.queue(0).fd()).isNotEqualTo(tun.queue(1).fd());
    for (TunDevice.Queue q : tun.queues()) {
      q.setNonBlocking(true);
    }
    int flows = 32;
    Set<Integer> expected = new HashSet<>();
    for (int i = 0; i < flows; i++) {
      DatagramChannel sender = ns.call(() -> DatagramChannel.open(StandardProtocolFamily.INET));
      try (sender) {
        sender.send(ByteBuffer.wrap(new byte[] {(byte) i}), new InetSocketAddress("192.0.2.2", 10000 + i));
      }
      expected.add(10000 + i);
    }
    Set<Integer> seen = new HashSet<>();
    int[] perQueue = new int[2];
    MemorySegment buffer = arena.allocate(2048);
    Poll.until(TIMEOUT, () -> "all flows, seen " + seen, () -> {
      try {
        for (TunDevice.Queue q : tun.queues()) {
          int n;
          while ((n = q.read(buffer)) > 0) {
            if (n >= 28 && buffer.get(ValueLayout.JAVA_BYTE, 9) == 17) {
              seen.add(Short.toUnsignedInt(buffer.get(
                  ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 22)));
              perQueue[q.index()]++;
            }
          }
        }
      } catch (NativeIoException e) {
        throw new IllegalStateException(e);
      }
      return seen.containsAll(expected);
    });
    assertThat(perQueue[0] + perQueue[1]).isEqualTo(flows);
    assertThat(perQueue).as("flows spread over both queues").doesNotContain(0);
  }

  @Test
  void detachedQueueGetsNoFlowsUntilReattached() throws Exception {
    openUp(true, 2);
    TunDevice.Queue detached = tun.queue(1);
    detached.setAttached(false);
    for (TunDevice.Queue q : tun.queues()) {
      q.setNonBlocking(true);
    }
    int flows = 16;
    for (int i = 0; i < flows; i++) {
      udp.send(ByteBuffer.wrap(new byte[] {(byte) i}), new InetSocketAddress("192.0.2.2", 11000 + i));
    }
    MemorySegment buffer = arena.allocate(2048);
    Set<Integer> seen = new HashSet<>();
    Poll.until(TIMEOUT, () -> "all flows on queue 0, seen " + seen, () -> {
      try {
        int n;
        while ((n = tun.queue(0).read(buffer)) > 0) {
          if (n >= 28 && buffer.get(ValueLayout.JAVA_BYTE, 9) == 17) {
            seen.add(Short.toUnsignedInt(buffer.get(
                ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 22)));
          }
        }
      } catch (NativeIoException e) {
        throw new IllegalStateException(e);
      }
      return seen.size() == flows;
    });
    assertThat(detached.read(buffer)).as("nothing steered to the detached queue").isEqualTo(-1);
    assertThat(detached.lastErrno()).isSameAs(Errno.EAGAIN);

    detached.setAttached(true);
    assertThat(detached.read(buffer)).as("attached again, nothing queued yet").isEqualTo(-1);
  }

  @Test
  void writeWorksOnEveryQueueOfAMultiQueueDevice() throws Exception {
    openUp(true, 2);
    udp.bind(new InetSocketAddress("192.0.2.1", 0));
    int port = ((InetSocketAddress) udp.getLocalAddress()).getPort();
    for (TunDevice.Queue q : tun.queues()) {
      byte[] packet = Packets.ipv4Udp("192.0.2.2", "192.0.2.1", 5000 + q.index(), port, new byte[] {7});
      MemorySegment out = arena.allocate(packet.length);
      out.copyFrom(MemorySegment.ofArray(packet));
      assertThat(q.write(out, packet.length)).isEqualTo(packet.length);
    }
    udp.configureBlocking(false);
    Set<Integer> sources = new HashSet<>();
    Poll.until(TIMEOUT, () -> "datagrams from both queues, got " + sources, () -> {
      try {
        InetSocketAddress from;
        while ((from = (InetSocketAddress) udp.receive(ByteBuffer.allocate(16))) != null) {
          sources.add(from.getPort());
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return sources.size() == 2;
    });
    assertThat(sources).containsExactlyInAnyOrder(5000, 5001);
  }

  @Test
  void workerWaitingWithATimeoutNoticesShutdown() throws Exception {
    openUp(false, 1);
    TunDevice.Queue queue = tun.queue(0);
    MemorySegment buffer = Arena.global().allocate(2048); // the worker thread reads into it
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger packets = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    Thread worker = Thread.ofPlatform().name("tun-worker").start(() -> {
      try {
        while (running.get()) {
          if (queue.awaitReadable(20) && queue.read(buffer) > 0) {
            packets.incrementAndGet();
          }
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    udp.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress("192.0.2.2", 9999));
    Poll.until(TIMEOUT, "the worker to read a packet", () -> packets.get() > 0);

    running.set(false);
    worker.join(TIMEOUT);

    assertThat(worker.isAlive()).as("worker still running").isFalse();
    assertThat(failure.get()).isNull();
  }

  @Test
  void mtuFollowsTheLink() throws Exception {
    openUp(false, 1);
    assertThat(tun.mtu()).isEqualTo(1500);
    ns.ip("link", "set", "tun0", "mtu", "1400");
    assertThat(tun.mtu()).isEqualTo(1400);
  }

  @Test
  void attachingWithFlagsThatDoNotMatchTheDeviceFailsWithEinval() throws Exception {
    tun = ns.call(() -> TunDevice.open("tun7", false, 1));
    assertThatThrownBy(() -> ns.call(() -> TunDevice.open("tun7", true, 2)))
        .isInstanceOfSatisfying(NativeIoException.class, e -> assertThat(e.errno()).isSameAs(Errno.EINVAL))
        .hasMessageStartingWith("ioctl(TUNSETIFF) tun7: EINVAL (Invalid argument)");
  }

  @Test
  void attachingASecondQueueToASingleQueueDeviceFailsWithEbusy() throws Exception {
    tun = ns.call(() -> TunDevice.open("tun8", false, 1));
    assertThatThrownBy(() -> ns.call(() -> TunDevice.open("tun8", false, 1)))
        .isInstanceOfSatisfying(NativeIoException.class, e -> assertThat(e.errno()).isSameAs(Errno.EBUSY));
  }

  @Test
  void kernelPicksTheNumberForAPatternName() throws Exception {
    tun = ns.call(() -> TunDevice.open("lbt%d", false, 1));
    assertThat(tun.name()).matches("lbt[0-9]+");
  }

  @Test
  void badArgumentsAreRejectedBeforeAnySystemCall() {
    assertThatThrownBy(() -> TunDevice.open("a-name-that-is-too-long", false, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name: a-name-that-is-too-long (expected: 1 to 15 ASCII characters)");
    assertThatThrownBy(() -> TunDevice.open("tun0", false, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queues: 2 (expected: 1 without multiQueue)");
  }

  @Test
  void closedQueueRefusesIoWithEbadf() throws Exception {
    openUp(false, 1);
    TunDevice.Queue queue = tun.queue(0);
    tun.close();
    assertThatThrownBy(() -> queue.read(arena.allocate(64)))
        .isInstanceOfSatisfying(NativeIoException.class, e -> assertThat(e.errno()).isSameAs(Errno.EBADF));
    tun.close(); // idempotent
  }

  @Test
  void readAndWriteLoopAllocatesNothing() throws Exception {
    openUp(false, 1);
    udp.bind(new InetSocketAddress("192.0.2.1", 0));
    int port = ((InetSocketAddress) udp.getLocalAddress()).getPort();
    byte[] packet = Packets.ipv4Udp("192.0.2.2", "192.0.2.1", 4244, port, new byte[16]);
    MemorySegment out = arena.allocate(packet.length);
    out.copyFrom(MemorySegment.ofArray(packet));
    MemorySegment in = arena.allocate(2048);
    TunDevice.Queue queue = tun.queue(0);
    queue.setNonBlocking(true);
    MemorySegment outSlice = arena.allocate(20 + packet.length).asSlice(20); // headroom, sliced outside the loop
    outSlice.copyFrom(out);
    MemorySegment inSlice = in.asSlice(20);
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();

    loop(queue, out, outSlice, packet.length, in, inSlice, 50_000); // warm-up: let the JIT compile the loop
    long before = threads.getThreadAllocatedBytes(tid);
    loop(queue, out, outSlice, packet.length, in, inSlice, 10_000);
    long allocated = threads.getThreadAllocatedBytes(tid) - before;

    assertThat(allocated).as("bytes allocated by 10,000 write+read pairs").isLessThan(10_000);
  }

  private static void loop(TunDevice.Queue queue, MemorySegment out, MemorySegment outSlice, int length,
      MemorySegment in, MemorySegment inSlice, int iterations) throws NativeIoException {
    for (int i = 0; i < iterations; i++) {
      queue.write(out, length); // delivered to the (never drained) UDP socket, dropped once its buffer is full
      queue.read(in); // -1 (EAGAIN) mostly
      queue.write(outSlice, length);
      queue.read(inSlice);
      queue.awaitReadable(0);
    }
  }
}
