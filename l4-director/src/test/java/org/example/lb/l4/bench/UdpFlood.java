package org.example.lb.l4.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.nio.ByteOrder;

/**
 * A UDP load generator: IPv4 datagrams to one VIP and port, built once in native memory and sent through a raw
 * socket ({@code IPPROTO_RAW}, our own IPv4 header, so any client source address can be used) with sendmmsg(2),
 * {@value #BATCH} datagrams per system call. Open it on a thread inside the generator's network namespace; run
 * {@link #run} on one thread.
 *
 * <p>Flows: every tenth datagram opens a new flow (a source address in 198.51.100.1-250 and a port in 1024-65023
 * never used before by this flood, about 16 million before they repeat); the others cycle over {@value #ESTABLISHED}
 * established flows (ports 65200-65265). Generators {@code index} of {@code count} share the established flows and
 * never share new ones. The UDP checksum is 0 (allowed over IPv4); the kernel fills in the IPv4 checksum and id.
 */
final class UdpFlood implements AutoCloseable {
  static final int BATCH = 64;
  static final int ESTABLISHED = 16384;
  private static final int NEW_FLOW_EVERY = 10;
  private static final int SLOT = 2048;
  private static final int MSGHDR_SIZE = 64; // struct mmsghdr (x86_64 / aarch64): msghdr (56) + msg_len + pad
  private static final int IOVEC_SIZE = 16;
  private static final int AF_INET = 2;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int IPPROTO_RAW = 255;
  private static final int EINTR = 4;
  private static final ValueLayout.OfShort SHORT_BE = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final MethodHandle SOCKET;
  private static final MethodHandle SENDMMSG;
  private static final MethodHandle CLOSE;

  static {
    Linker linker = Linker.nativeLinker();
    var libc = linker.defaultLookup();
    Linker.Option errno = Linker.Option.captureCallState("errno");
    SOCKET = linker.downcallHandle(libc.find("socket").orElseThrow(),
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
    SENDMMSG = linker.downcallHandle(libc.find("sendmmsg").orElseThrow(),
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), errno);
    CLOSE = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  }

  private final int fd;
  private final int index;
  private final int count;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment packets;
  private final MemorySegment messages;
  private final MemorySegment callState;
  private final long[] tallies = new long[2]; // sent, failed calls
  private long sequence;
  private long fresh;
  private volatile boolean stopped;

  private UdpFlood(int fd, Inet4Address vip, int port, int payload, int index, int count) {
    this.fd = fd;
    this.index = index;
    this.count = count;
    this.packets = arena.allocate((long) SLOT * BATCH, 64);
    this.messages = arena.allocate((long) MSGHDR_SIZE * BATCH, 8);
    MemorySegment iovecs = arena.allocate((long) IOVEC_SIZE * BATCH, 8);
    MemorySegment destination = arena.allocate(16, 8);
    this.callState = arena.allocate(CALL_STATE);
    destination.set(JAVA_SHORT, 0, (short) AF_INET);
    MemorySegment.copy(vip.getAddress(), 0, destination, JAVA_BYTE, 4, 4);
    int length = 20 + 8 + payload;
    for (int i = 0; i < BATCH; i++) {
      MemorySegment p = packets.asSlice((long) i * SLOT, SLOT);
      p.set(JAVA_BYTE, 0, (byte) 0x45);
      p.set(SHORT_BE, 2, (short) length);
      p.set(SHORT_BE, 6, (short) 0x4000); // DF
      p.set(JAVA_BYTE, 8, (byte) 64);
      p.set(JAVA_BYTE, 9, (byte) 17);
      p.set(JAVA_BYTE, 12, (byte) 198);
      p.set(JAVA_BYTE, 13, (byte) 51);
      p.set(JAVA_BYTE, 14, (byte) 100);
      MemorySegment.copy(vip.getAddress(), 0, p, JAVA_BYTE, 16, 4);
      p.set(SHORT_BE, 22, (short) port);
      p.set(SHORT_BE, 24, (short) (8 + payload));
      MemorySegment iov = iovecs.asSlice((long) i * IOVEC_SIZE, IOVEC_SIZE);
      iov.set(ADDRESS, 0, p);
      iov.set(JAVA_LONG, 8, length);
      MemorySegment m = messages.asSlice((long) i * MSGHDR_SIZE, MSGHDR_SIZE);
      m.set(ADDRESS, 0, destination); // msg_name
      m.set(JAVA_INT, 8, 16); // msg_namelen
      m.set(ADDRESS, 16, iov); // msg_iov
      m.set(JAVA_LONG, 24, 1); // msg_iovlen
    }
  }

  /**
   * A flood of {@code payload}-byte datagrams to {@code vip:port}, generator {@code index} of {@code count}; the
   * socket lives in the calling thread's network namespace.
   */
  static UdpFlood open(Inet4Address vip, int port, int payload, int index, int count) {
    if (payload < 0 || payload > SLOT - 28) {
      throw new IllegalArgumentException("payload: " + payload + " (expected: 0.." + (SLOT - 28) + ")");
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment state = a.allocate(CALL_STATE);
      int fd = (int) SOCKET.invokeExact(state, AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
      if (fd < 0) {
        throw new IllegalStateException("socket(AF_INET, SOCK_RAW, IPPROTO_RAW): errno " + (int) ERRNO.get(state, 0L));
      }
      return new UdpFlood(fd, vip, port, payload, index, count);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Sends batches until {@link #stop()} (blocking sends: the kernel paces us when its buffers are full). */
  void run() {
    while (!stopped) {
      for (int i = 0; i < BATCH; i++) {
        long k = sequence++;
        int host;
        int port;
        if (k % NEW_FLOW_EVERY == 0) {
          long n = fresh++ * count + index;
          host = 1 + (int) (n % 250);
          port = 1024 + (int) ((n / 250) % 64000);
        } else {
          int j = (int) (k % ESTABLISHED);
          host = 1 + j % 250;
          port = 65200 + j / 250;
        }
        long base = (long) i * SLOT;
        packets.set(JAVA_BYTE, base + 15, (byte) host);
        packets.set(SHORT_BE, base + 20, (short) port);
      }
      int n;
      try {
        n = (int) SENDMMSG.invokeExact(callState, fd, messages, BATCH, 0);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
      if (n > 0) {
        LONGS.setOpaque(tallies, 0, tallies[0] + n);
      } else if ((int) ERRNO.get(callState, 0L) != EINTR) {
        LONGS.setOpaque(tallies, 1, tallies[1] + 1);
      }
    }
  }

  /** Makes {@link #run()} return after its current batch. */
  void stop() {
    stopped = true;
  }

  /** Datagrams the kernel accepted so far; any thread. */
  long sent() {
    return (long) LONGS.getOpaque(tallies, 0);
  }

  /** sendmmsg calls that failed (e.g. ENOBUFS); any thread. */
  long failedCalls() {
    return (long) LONGS.getOpaque(tallies, 1);
  }

  /** Closes the socket; call after {@link #run()} returned. */
  @Override
  public void close() {
    try {
      int ignored = (int) CLOSE.invokeExact(fd);
    } catch (Throwable t) {
      // best effort
    }
    arena.close();
  }
}
