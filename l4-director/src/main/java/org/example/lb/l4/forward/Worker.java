package org.example.lb.l4.forward;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.example.lb.common.config.Validation;
import org.example.lb.l4.nativeio.Errno;
import org.example.lb.l4.nativeio.NativeIoException;
import org.example.lb.l4.nativeio.RawSocket;
import org.example.lb.l4.nativeio.SockAddr;
import org.example.lb.l4.nativeio.TunDevice;
import org.example.lb.l4.packet.DropCounters;
import org.example.lb.l4.packet.Verdict;
import org.example.lb.l4.tunnel.Encapsulator;

/**
 * One forwarding worker: owns one TUN queue, its raw sockets (one per tunnel family; not shared with other workers)
 * and a {@link Forwarder}. Run it on a platform thread. The loop waits up to 100 ms for packets, reads the current
 * {@link ForwardingState} once per batch (at most 256 packets, read until EAGAIN), forwards each packet, and expires
 * idle flows at every turn; no locks and no allocation per packet. A bad packet is a counted drop, a failed send a
 * counted send error: nothing a packet does ends the loop. The loop ends on {@link #stop()} (within about 100 ms) or
 * when the queue is closed under it (EBADF, logged). The caller closes the queue and sockets after {@link #run()}
 * returned.
 */
public final class Worker implements Runnable {
  private static final Logger LOG = Logger.getLogger(Worker.class.getName());
  private static final int POLL_MILLIS = 100;
  private static final int BATCH = 256;
  private static final int HEADROOM = Encapsulator.HEADROOM;
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private static final int RECEIVED = 0;
  private static final int TUNNELLED = 1;
  private static final int ICMP_SENT = 2;
  private static final int SEND_ERRORS = 3;
  private static final int READ_ERRORS = 4;
  private static final int INTERNAL_ERRORS = 5;

  private final int index;
  private final TunDevice.Queue queue;
  private final RawSocket ipv4Out;
  private final RawSocket ipv6Out;
  private final Supplier<ForwardingState> state;
  private final LongSupplier nanoClock;
  private final Forwarder forwarder;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(HEADROOM + 65535);
  private final MemorySegment whole = MemorySegment.ofBuffer(buffer);
  private final MemorySegment packetIn = whole.asSlice(HEADROOM);
  private final MemorySegment afterIpv4Headroom = whole.asSlice(HEADROOM - Encapsulator.IPV4_HEADER_LENGTH);
  private final MemorySegment icmpOut;
  private final long[] tallies = new long[6];
  private final boolean[] logged = new boolean[6];
  private volatile boolean stopped;

  private Worker(int index, TunDevice.Queue queue, RawSocket ipv4Out, RawSocket ipv6Out,
      Supplier<ForwardingState> state, WorkerSettings settings, LongSupplier nanoClock, FlowSharing sharing) {
    this.index = index;
    this.queue = queue;
    this.ipv4Out = ipv4Out;
    this.ipv6Out = ipv6Out;
    this.state = state;
    this.nanoClock = nanoClock;
    this.forwarder = Forwarder.create(index, settings, sharing);
    this.icmpOut = MemorySegment.ofBuffer(forwarder.icmpBuffer());
  }

  /**
   * A worker reading {@code queue} and sending through {@code ipv4Out} / {@code ipv6Out} (raw sockets that include
   * the IP header, e.g. {@code RawSocket.ipv4(RawSocket.IPPROTO_RAW)}; required for each family whose source is set
   * in {@code settings}). The queue and the sockets are switched to non-blocking mode (a full socket buffer is a
   * counted send error, never a stall).
   *
   * @param state the current state, read once per batch (e.g. {@code AtomicReference::get})
   * @param nanoClock a monotonic clock for idle timeouts and the ICMP rate ({@code System::nanoTime})
   * @throws IllegalArgumentException when a socket is missing for a configured source or has the wrong family
   * @throws NativeIoException when non-blocking mode cannot be set
   */
  public static Worker create(int index, TunDevice.Queue queue, Optional<RawSocket> ipv4Out,
      Optional<RawSocket> ipv6Out, Supplier<ForwardingState> state, WorkerSettings settings, LongSupplier nanoClock)
      throws NativeIoException {
    return create(index, queue, ipv4Out, ipv6Out, state, settings, nanoClock, FlowSharing.NONE);
  }

  /** As {@link #create(int, TunDevice.Queue, Optional, Optional, Supplier, WorkerSettings, LongSupplier)}, taking part
   * in flow sync as {@code sharing} says. */
  public static Worker create(int index, TunDevice.Queue queue, Optional<RawSocket> ipv4Out,
      Optional<RawSocket> ipv6Out, Supplier<ForwardingState> state, WorkerSettings settings, LongSupplier nanoClock,
      FlowSharing sharing) throws NativeIoException {
    Objects.requireNonNull(sharing, "sharing");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(nanoClock, "nanoClock");
    if (settings.ipv4Source().isPresent() && ipv4Out.isEmpty()) {
      throw Validation.invalid("ipv4Out", "missing", "a raw IPv4 socket, since ipv4Source is set");
    }
    if (settings.ipv6Source().isPresent() && ipv6Out.isEmpty()) {
      throw Validation.invalid("ipv6Out", "missing", "a raw IPv6 socket, since ipv6Source is set");
    }
    ipv4Out.filter(RawSocket::isIpv6).ifPresent(s -> {
      throw Validation.invalid("ipv4Out", s, "an IPv4 raw socket");
    });
    ipv6Out.filter(s -> !s.isIpv6()).ifPresent(s -> {
      throw Validation.invalid("ipv6Out", s, "an IPv6 raw socket");
    });
    queue.setNonBlocking(true);
    if (ipv4Out.isPresent()) {
      ipv4Out.get().setNonBlocking(true);
    }
    if (ipv6Out.isPresent()) {
      ipv6Out.get().setNonBlocking(true);
    }
    return new Worker(index, queue, ipv4Out.orElse(null), ipv6Out.orElse(null), state, settings, nanoClock, sharing);
  }

  @Override
  public void run() {
    while (!stopped) {
      try {
        forwarder.expire(nanoClock.getAsLong());
        if (!queue.awaitReadable(POLL_MILLIS)) {
          continue;
        }
        ForwardingState current = state.get();
        long now = nanoClock.getAsLong();
        for (int i = 0; i < BATCH; i++) {
          int n = queue.read(packetIn);
          if (n < 0) {
            break;
          }
          tally(RECEIVED);
          handle(current, n, now);
        }
      } catch (NativeIoException e) {
        if (stopped) {
          break;
        }
        if (e.errno().equals(Errno.EBADF)) {
          LOG.warning("worker " + index + ": " + queue + " was closed, stopping: " + e.getMessage());
          break;
        }
        failure(READ_ERRORS, e);
      } catch (RuntimeException e) {
        failure(INTERNAL_ERRORS, e);
      }
    }
  }

  private void handle(ForwardingState current, int length, long now) {
    buffer.clear();
    int verdict;
    try {
      verdict = forwarder.forward(current, buffer, HEADROOM, length, now);
    } catch (RuntimeException e) {
      failure(INTERNAL_ERRORS, e);
      return;
    }
    if (verdict == Verdict.OK.code()) {
      SockAddr to = forwarder.destination();
      RawSocket socket = to.isIpv6() ? ipv6Out : ipv4Out;
      int start = forwarder.outputStart();
      MemorySegment from = start == 0 ? whole : afterIpv4Headroom;
      send(socket, from, forwarder.outputLength(), to);
    } else if (forwarder.icmpLength() > 0) {
      try {
        if (queue.write(icmpOut, forwarder.icmpLength()) > 0) {
          tally(ICMP_SENT);
        } else {
          tally(SEND_ERRORS);
        }
      } catch (NativeIoException e) {
        failure(SEND_ERRORS, e);
      }
    }
  }

  private void send(RawSocket socket, MemorySegment from, int length, SockAddr to) {
    try {
      if (socket.sendTo(from, length, to) > 0) {
        tally(TUNNELLED);
      } else {
        tally(SEND_ERRORS);
      }
    } catch (NativeIoException e) {
      failure(SEND_ERRORS, e);
    }
  }

  private void tally(int counter) {
    LONGS.setOpaque(tallies, counter, tallies[counter] + 1);
  }

  /** Counts a failure; logs the first of each kind (later ones are only counted). */
  private void failure(int counter, Exception e) {
    tally(counter);
    if (!logged[counter]) {
      logged[counter] = true;
      String what = switch (counter) {
        case SEND_ERRORS -> "send failed";
        case READ_ERRORS -> "read of " + queue + " failed";
        default -> "internal error";
      };
      LOG.log(counter == INTERNAL_ERRORS ? Level.SEVERE : Level.WARNING,
          "worker " + index + ": " + what + " (further ones are only counted): " + e, 
          counter == INTERNAL_ERRORS ? e : null);
    }
  }

  /** Makes {@link #run()} return within about 100 ms; any thread. */
  public void stop() {
    stopped = true;
  }

  /** This worker's index. */
  public int index() {
    return index;
  }

  /** A racy snapshot of the counters; any thread. */
  public WorkerStats stats() {
    long[] verdicts = forwarder.counters().snapshot(new long[DropCounters.slots()]);
    Map<String, Long> drops = new LinkedHashMap<>();
    for (int code = 1; code < verdicts.length; code++) {
      if (verdicts[code] > 0) {
        drops.put(code == DropCounters.UNKNOWN_SLOT ? "UNKNOWN" : Verdict.valueOf(code).name(), verdicts[code]);
      }
    }
    long internal = (long) LONGS.getOpaque(tallies, INTERNAL_ERRORS);
    if (internal > 0) {
      drops.put("INTERNAL_ERROR", internal);
    }
    ForwardingState current = state.get();
    Map<String, Long> perBackend = new LinkedHashMap<>();
    if (current != null) {
      for (BackendSpec backend : current.backends()) {
        int slot = current.slot(backend.name());
        perBackend.put(backend.name(), (long) forwarder.flows().flowsOf(slot, current.generation(slot)));
      }
    }
    return new WorkerStats(index, get(RECEIVED), get(TUNNELLED), get(ICMP_SENT), get(SEND_ERRORS), get(READ_ERRORS),
        drops, forwarder.flows().size(), forwarder.flows().evictions(), perBackend, forwarder.peerHits());
  }

  private long get(int counter) {
    return (long) LONGS.getOpaque(tallies, counter);
  }
}
