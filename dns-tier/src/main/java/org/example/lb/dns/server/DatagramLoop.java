package org.example.lb.dns.server;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.example.lb.dns.server.DatagramCalls.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.example.lb.dns.answer.QueryStats;
import org.example.lb.dns.answer.QueryStats.Stat;
import org.example.lb.dns.answer.Responder;

/**
 * One UDP socket (SO_REUSEPORT) answered by one platform thread that blocks in recvmmsg(2) and answers a batch with
 * one sendmmsg(2), as gdnsd's UDP threads do: no event loop, no selector, two system calls per batch of up to
 * {@link #BATCH} queries, nothing allocated per query. recvmmsg waits for the first datagram only
 * ({@code MSG_WAITFORONE}) and takes whatever else is queued, so a lone query is answered at once and a burst is read
 * in batches.
 *
 * <p>A datagram longer than {@link #MAX_QUERY_BYTES} is answered from its first bytes (queries are tens of bytes);
 * a response longer than {@link Responder#MAX_UDP_PAYLOAD} cannot happen (the responder truncates) and would be
 * dropped. A receive error (other than EINTR) and a send that the kernel refuses (an unreachable client, a full
 * buffer) are counted ({@code udp.recvfail}, {@code udp.sendfail}) and the loop goes on; a query the responder throws
 * on (a bug: its contract is to answer everything) is counted as a receive failure and dropped.
 *
 * <p>{@link #close()} shuts the socket down for reading, which wakes the thread from recvmmsg; queries already read are answered
 * first.
 */
final class DatagramLoop implements AutoCloseable {
  /** The longest UDP query read whole. */
  static final int MAX_QUERY_BYTES = 2048;
  /** Datagrams read by one recvmmsg(2) call at most. */
  static final int BATCH = 16;
  /** The UDP socket's receive buffer (SO_RCVBUF): bursts queue in the kernel rather than being lost. */
  static final int RECEIVE_BUFFER = 1 << 20;

  private static final int RESPONSE_SLOT = Responder.MAX_UDP_PAYLOAD;

  private final int fd;
  private final int family;
  private final InetSocketAddress local;
  private final Responder responder;
  private final QueryStats stats;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment callState = newCallState(arena);
  private final MemorySegment rxHeaders;
  private final MemorySegment txHeaders;
  private final MemorySegment rxData;
  private final MemorySegment txData;
  private final MemorySegment txIov;
  private final MemorySegment names;
  private final byte[] in = new byte[MAX_QUERY_BYTES];
  private final byte[] out = new byte[Responder.MAX_TCP_MESSAGE];
  private final Thread thread;
  private volatile boolean running = true;

  private DatagramLoop(int fd, int family, InetSocketAddress local, Responder responder, QueryStats stats,
      String threadName) {
    this.fd = fd;
    this.family = family;
    this.local = local;
    this.responder = responder;
    this.stats = stats;
    rxHeaders = arena.allocate(MMSGHDR_SIZE * BATCH, 8);
    txHeaders = arena.allocate(MMSGHDR_SIZE * BATCH, 8);
    MemorySegment rxIov = arena.allocate(IOVEC_SIZE * BATCH, 8);
    MemorySegment txIov = arena.allocate(IOVEC_SIZE * BATCH, 8);
    rxData = arena.allocate((long) MAX_QUERY_BYTES * BATCH, 8);
    txData = arena.allocate((long) RESPONSE_SLOT * BATCH, 8);
    names = arena.allocate((long) SOCKADDR_SIZE * BATCH, 8);
    for (int i = 0; i < BATCH; i++) {
      long h = i * MMSGHDR_SIZE;
      long v = i * IOVEC_SIZE;
      rxIov.set(JAVA_LONG, v + IOV_BASE, rxData.address() + (long) i * MAX_QUERY_BYTES);
      rxIov.set(JAVA_LONG, v + IOV_LEN, MAX_QUERY_BYTES);
      rxHeaders.set(JAVA_LONG, h + MSG_NAME, names.address() + (long) i * SOCKADDR_SIZE);
      rxHeaders.set(JAVA_LONG, h + MSG_IOV, rxIov.address() + v);
      rxHeaders.set(JAVA_LONG, h + MSG_IOVLEN, 1);
      txIov.set(JAVA_LONG, v + IOV_BASE, txData.address() + (long) i * RESPONSE_SLOT);
      txHeaders.set(JAVA_LONG, h + MSG_IOV, txIov.address() + v);
      txHeaders.set(JAVA_LONG, h + MSG_IOVLEN, 1);
    }
    this.txIov = txIov;
    thread = new Thread(this::run, threadName);
  }

  /** Whether the system calls linked; when not, {@link #unavailabilityCause()} says why. */
  static boolean isAvailable() {
    return DatagramCalls.isAvailable();
  }

  static Throwable unavailabilityCause() {
    return DatagramCalls.unavailabilityCause();
  }

  /**
   * Binds a UDP socket to {@code address} (SO_REUSEPORT, a 1 MiB receive buffer; an IPv6 socket is IPv6-only, so
   * {@code 0.0.0.0} and {@code ::} can both be listened on) and starts its thread.
   *
   * @throws IOException one line naming the address and the error, e.g. the port is taken by another user
   */
  static DatagramLoop bind(InetSocketAddress address, Responder responder, QueryStats stats, String threadName)
      throws IOException {
    if (!isAvailable()) {
      throw new IOException("UDP sockets through FFM unavailable: " + unavailabilityCause());
    }
    boolean v4 = address.getAddress() instanceof Inet4Address;
    int family = v4 ? AF_INET : AF_INET6;
    try (Arena setup = Arena.ofConfined()) {
      MemorySegment state = newCallState(setup);
      int fd = (int) SOCKET.invokeExact(state, family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      if (fd < 0) {
        throw failure("socket for UDP " + address, errno(state));
      }
      try {
        MemorySegment one = setup.allocate(JAVA_INT);
        one.set(JAVA_INT, 0, 1);
        setOption(state, fd, SOL_SOCKET, SO_REUSEPORT, one, "SO_REUSEPORT", address);
        if (!v4) {
          setOption(state, fd, IPPROTO_IPV6, IPV6_V6ONLY, one, "IPV6_V6ONLY", address);
        }
        MemorySegment size = setup.allocate(JAVA_INT);
        size.set(JAVA_INT, 0, RECEIVE_BUFFER);
        setOption(state, fd, SOL_SOCKET, SO_RCVBUF, size, "SO_RCVBUF", address);
        MemorySegment sa = setup.allocate(SOCKADDR_SIZE, 8);
        int length = encode(address, sa);
        if ((int) BIND.invokeExact(state, fd, sa, length) < 0) {
          throw failure("cannot listen on UDP " + address, errno(state));
        }
        MemorySegment saLength = setup.allocate(JAVA_INT);
        saLength.set(JAVA_INT, 0, SOCKADDR_SIZE);
        if ((int) GETSOCKNAME.invokeExact(state, fd, sa, saLength) < 0) {
          throw failure("getsockname of UDP " + address, errno(state));
        }
        DatagramLoop loop = new DatagramLoop(fd, family, decode(sa), responder, stats, threadName);
        loop.thread.start();
        return loop;
      } catch (IOException | RuntimeException | Error e) {
        int ignored = (int) CLOSE.invokeExact(state, fd);
        throw e;
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static void setOption(MemorySegment state, int fd, int level, int option, MemorySegment value, String name,
      InetSocketAddress address) throws Throwable {
    if ((int) SETSOCKOPT.invokeExact(state, fd, level, option, value, (int) value.byteSize()) < 0) {
      throw failure("setsockopt " + name + " on UDP " + address, errno(state));
    }
  }

  /** Writes {@code address} as a sockaddr_in or sockaddr_in6; returns its length. */
  static int encode(InetSocketAddress address, MemorySegment sa) {
    sa.fill((byte) 0);
    byte[] ip = address.getAddress().getAddress();
    sa.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) address.getPort());
    if (ip.length == 4) {
      sa.set(JAVA_SHORT, 0, (short) AF_INET);
      MemorySegment.copy(ip, 0, sa, JAVA_BYTE, 4, 4);
      return 16;
    }
    sa.set(JAVA_SHORT, 0, (short) AF_INET6);
    MemorySegment.copy(ip, 0, sa, JAVA_BYTE, 8, 16);
    if (address.getAddress() instanceof java.net.Inet6Address v6) {
      sa.set(JAVA_INT, 24, v6.getScopeId());
    }
    return SOCKADDR_SIZE;
  }

  /** Reads a sockaddr_in or sockaddr_in6. */
  static InetSocketAddress decode(MemorySegment sa) throws UnknownHostException {
    int port = Short.toUnsignedInt(sa.get(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2));
    byte[] ip = new byte[sa.get(JAVA_SHORT, 0) == AF_INET ? 4 : 16];
    MemorySegment.copy(sa, JAVA_BYTE, ip.length == 4 ? 4 : 8, ip, 0, ip.length);
    return new InetSocketAddress(InetAddress.getByAddress(ip), port);
  }

  /** The answering thread's id (tests measure what it allocates). */
  long threadId() {
    return thread.threadId();
  }

  /** The address bound, with the port the kernel chose when 0 was asked for. */
  InetSocketAddress localAddress() {
    return local;
  }

  private void run() {
    try {
      while (running) {
        int n = receive();
        if (n > 0) {
          answer(n);
        }
      }
    } catch (Throwable t) {
      // a linkage or memory error: nothing a query can cause; the socket stays bound but unanswered
      System.err.println("error: UDP " + local + ": answering thread stopped: " + t);
    }
  }

  /** One recvmmsg: the number of datagrams read, 0 on an error or when woken by close. */
  private int receive() throws Throwable {
    for (int i = 0; i < BATCH; i++) {
      rxHeaders.set(JAVA_INT, i * MMSGHDR_SIZE + MSG_NAMELEN, SOCKADDR_SIZE);
    }
    int n = (int) RECVMMSG.invokeExact(callState, fd, rxHeaders, BATCH, MSG_WAITFORONE, MemorySegment.NULL);
    if (n < 0 && running && errno(callState) != EINTR) {
      stats.increment(Stat.UDP_RECVFAIL);
    }
    return n;
  }

  /** Answers the {@code n} datagrams just read and sends the responses with sendmmsg. */
  private void answer(int n) throws Throwable {
    stats.add(Stat.UDP_REQS, n);
    if (family == AF_INET6) {
      stats.add(Stat.V6, n);
    }
    int responses = 0;
    for (int i = 0; i < n; i++) {
      long h = i * MMSGHDR_SIZE;
      int length = Math.min(rxHeaders.get(JAVA_INT, h + MSG_LEN), MAX_QUERY_BYTES);
      MemorySegment.copy(rxData, JAVA_BYTE, (long) i * MAX_QUERY_BYTES, in, 0, length);
      int size;
      try {
        size = responder.respond(in, length, out, false);
      } catch (RuntimeException e) {
        stats.increment(Stat.UDP_RECVFAIL);
        continue;
      }
      if (size < 0) {
        continue;
      }
      if (size > RESPONSE_SLOT) {
        stats.increment(Stat.UDP_SENDFAIL);
        continue;
      }
      long t = responses * MMSGHDR_SIZE;
      MemorySegment.copy(out, 0, txData, JAVA_BYTE, (long) responses * RESPONSE_SLOT, size);
      txIov.set(JAVA_LONG, responses * IOVEC_SIZE + IOV_LEN, size);
      txHeaders.set(JAVA_LONG, t + MSG_NAME, names.address() + (long) i * SOCKADDR_SIZE);
      txHeaders.set(JAVA_INT, t + MSG_NAMELEN, rxHeaders.get(JAVA_INT, h + MSG_NAMELEN));
      responses++;
    }
    send(responses);
  }

  /** sendmmsg until every response went or was refused; a refused one is counted and skipped. */
  private void send(int count) throws Throwable {
    int from = 0;
    while (from < count) {
      MemorySegment first = from == 0 ? txHeaders : txHeaders.asSlice(from * MMSGHDR_SIZE);
      int sent = (int) SENDMMSG.invokeExact(callState, fd, first, count - from, 0);
      if (sent < 0) {
        if (errno(callState) == EINTR) {
          continue;
        }
        stats.increment(Stat.UDP_SENDFAIL);
        from++;
      } else {
        from += sent;
      }
    }
  }

  /** Wakes the thread, waits up to 2 s for it to finish the batch in hand, then closes the socket. */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    try (Arena a = Arena.ofConfined()) {
      MemorySegment state = newCallState(a);
      int ignored = (int) SHUTDOWN.invokeExact(state, fd, SHUT_RD); // ENOTCONN for UDP, but the reader wakes
      thread.join(TimeUnit.SECONDS.toMillis(2));
      ignored = (int) CLOSE.invokeExact(state, fd);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      throw rethrow(t);
    }
    if (!thread.isAlive()) {
      arena.close();
    }
  }
}
