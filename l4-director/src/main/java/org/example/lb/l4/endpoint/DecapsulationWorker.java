package org.example.lb.l4.endpoint;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.logging.Logger;
import org.example.lb.l4.nativeio.Errno;
import org.example.lb.l4.nativeio.NativeIoException;
import org.example.lb.l4.nativeio.PollSet;
import org.example.lb.l4.nativeio.RawSocket;
import org.example.lb.l4.nativeio.SourceAddress;
import org.example.lb.l4.nativeio.TunDevice;
import org.example.lb.l4.packet.DropCounters;
import org.example.lb.l4.packet.Verdict;
import org.example.lb.l4.tunnel.Decapsulator;

/**
 * The endpoint's packet loop, on one platform thread: waits on every raw socket at once ({@link PollSet}), drains
 * each ready socket (non-blocking, up to {@link #BATCH} packets per turn), decapsulates each packet in place and
 * writes the inner packet to the TUN device.
 *
 * <p>Per packet: no allocation, no lock, no logging; the outcome is counted (received per socket, a
 * {@link Verdict} per packet, delivered, TUN write errors). Bad input never leaves the loop: malformed packets are
 * verdicts, failed writes and receives are counted (the first unexpected failure of each kind is logged once). The
 * VIPs and directors are swapped by publishing a new {@link Decapsulator} ({@link #use}); the sockets stay open, so
 * a reload loses no packet.
 *
 * <p>The IPv6 sockets do not see the outer traffic class (no IPV6_RECVTCLASS), so RFC 6040 ECN combination is done
 * for IPv4 outer headers only; an IPv6 outer CE mark is lost.
 */
final class DecapsulationWorker implements Runnable {
  private static final Logger LOG = Logger.getLogger(DecapsulationWorker.class.getName());
  /** Receive buffer: the largest IP packet. */
  static final int BUFFER_BYTES = 65536;
  /** Packets drained from one socket before the others get their turn. */
  static final int BATCH = 64;
  /** How often the loop checks its stop flag when no packet arrives. */
  static final int POLL_MILLIS = 100;
  /** Largest IPv4 header (IHL 15): inner packets start at most here; one slice per 4-byte offset up to it. */
  private static final int MAX_INNER_START = 60;

  private final RawSocket[] sockets;
  private final TunDevice.Queue tun;
  private final String device;
  private final PollSet poll;
  private final ByteBuffer buffer;
  private final MemorySegment segment;
  private final MemorySegment[] fromOffset;
  private final SourceAddress source = new SourceAddress();
  private final DropCounters verdicts = new DropCounters();
  private final EndpointCounters counters;
  private volatile Decapsulator decapsulator;
  private volatile boolean running = true;
  private volatile Errno lastTunWriteError;
  private volatile String lastLoopError;
  private boolean receiveErrorLogged;
  private boolean writeErrorLogged;

  DecapsulationWorker(List<RawSocket> sockets, TunDevice device, Decapsulator decapsulator)
      throws NativeIoException {
    this.sockets = sockets.toArray(RawSocket[]::new);
    this.tun = device.queue(0);
    this.device = device.name();
    this.decapsulator = decapsulator;
    this.counters = new EndpointCounters(this.sockets.length);
    for (RawSocket s : this.sockets) {
      s.setNonBlocking(true);
    }
    this.poll = PollSet.of(sockets);
    this.buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    this.segment = MemorySegment.ofBuffer(buffer);
    this.fromOffset = new MemorySegment[MAX_INNER_START / 4 + 1];
    for (int i = 0; i < fromOffset.length; i++) {
      fromOffset[i] = segment.asSlice(i * 4L); // sliced once: slicing per packet would allocate
    }
  }

  /** Publishes the decapsulator (VIPs and directors) the next packet is checked with. */
  void use(Decapsulator next) {
    decapsulator = next;
  }

  /** Asks the loop to stop; it notices within {@link #POLL_MILLIS}. */
  void stop() {
    running = false;
  }

  @Override
  public void run() {
    while (running) {
      try {
        if (poll.await(POLL_MILLIS) <= 0) {
          continue;
        }
        for (int i = 0; i < sockets.length; i++) {
          if (poll.isReadable(i)) {
            drain(i);
          }
        }
      } catch (NativeIoException | RuntimeException e) {
        if (!running) {
          return; // sockets closed under a stopping loop
        }
        counters.increment(EndpointCounters.LOOP_ERRORS);
        if (lastLoopError == null) {
          LOG.warning("packet loop: " + e + " (counted; later ones are counted only)");
        }
        lastLoopError = String.valueOf(e.getMessage());
      }
    }
  }

  private void drain(int index) {
    RawSocket socket = sockets[index];
    boolean ipv6 = socket.isIpv6();
    int protocol = socket.protocol();
    for (int n = 0; n < BATCH; n++) {
      int length;
      try {
        length = socket.receive(segment, source);
      } catch (NativeIoException e) {
        counters.increment(EndpointCounters.RECEIVE_ERRORS);
        if (!receiveErrorLogged) {
          receiveErrorLogged = true;
          LOG.warning("receive on " + socket + ": " + e.getMessage() + " (counted; later ones are counted only)");
        }
        return;
      }
      if (length < 0) {
        return; // drained
      }
      counters.received(index);
      Decapsulator d = decapsulator;
      int verdict = ipv6
          ? d.decapsulateIpv6Payload(buffer, 0, length, protocol, Decapsulator.UNKNOWN_TRAFFIC_CLASS,
              source.high(), source.low())
          : d.decapsulateIpv4(buffer, 0, length);
      verdicts.count(verdict);
      if (verdict == Verdict.OK.code()) {
        deliver(d.innerStart(), d.innerLength());
      }
    }
  }

  private void deliver(int start, int length) {
    MemorySegment packet;
    if ((start & 3) == 0 && start <= MAX_INNER_START) {
      packet = fromOffset[start >>> 2];
    } else {
      MemorySegment.copy(segment, start, segment, 0, length); // not produced by the decapsulator today
      packet = segment;
    }
    try {
      if (tun.write(packet, length) < 0) {
        lastTunWriteError = tun.lastErrno();
        counters.increment(EndpointCounters.TUN_WRITE_ERRORS);
      } else {
        counters.increment(EndpointCounters.DELIVERED);
      }
    } catch (NativeIoException e) {
      lastTunWriteError = e.errno();
      counters.increment(EndpointCounters.TUN_WRITE_ERRORS);
      if (!writeErrorLogged) {
        writeErrorLogged = true;
        LOG.warning("write to " + tun + ": " + e.getMessage()
            + (e.errno().equals(Errno.EIO) ? " (is the device up? ip link set " + device + " up)" : "")
            + " (counted; later ones are counted only)");
      }
    }
  }

  DropCounters verdicts() {
    return verdicts;
  }

  EndpointCounters counters() {
    return counters;
  }

  /** The errno of the last failed TUN write, or null. */
  Errno lastTunWriteError() {
    return lastTunWriteError;
  }

  /** The message of the last unexpected loop failure, or null. */
  String lastLoopError() {
    return lastLoopError;
  }
}
