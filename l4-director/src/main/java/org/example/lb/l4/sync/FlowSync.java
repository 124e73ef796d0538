package org.example.lb.l4.sync;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.example.lb.common.config.Addresses;
import org.example.lb.l4.flow.FlowOutbox;
import org.example.lb.l4.flow.PeerFlows;
import org.example.lb.l4.forward.ForwardingState;

/**
 * Flow sync between directors, off the packet path. Two threads:
 * <ul>
 *   <li><b>sender</b>: every {@code interval} drains the workers' {@link FlowOutbox}es, names each flow's LB7 (a flow
 *       whose slot was reused since is skipped) and sends the batch, in datagrams of at most
 *       {@value SyncDatagram#MAX_LENGTH} bytes ({@link SyncDatagram}), to every peer from the listen address;</li>
 *   <li><b>receiver</b>: reads datagrams on the listen address; one from an address that is not a peer, or not a valid
 *       datagram, is dropped and counted (the first of each kind logged); each record's LB7 is looked up by name in
 *       the current {@link ForwardingState} (an unknown name is counted) and the flow put in {@link PeerFlows}, valid
 *       for 3 × {@code refresh}; about once a second it expires the records not renewed.</li>
 * </ul>
 * Peers that are down cost nothing but a counted send error; sync is best effort (UDP): what a lost datagram carried
 * comes again with the flow's next refresh.
 */
public final class FlowSync implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(FlowSync.class.getName());

  private final DatagramChannel channel;
  private final List<InetSocketAddress> peers;
  private final Set<InetAddress> peerAddresses;
  private final List<FlowOutbox> outboxes;
  private final PeerFlows peerFlows;
  private final Supplier<ForwardingState> state;
  private final LongSupplier nanoClock;
  private final long intervalNanos;
  private final long holdNanos;
  private final SyncDatagram.Writer writer = new SyncDatagram.Writer();
  private final Map<String, byte[]> names = new HashMap<>();
  private final ByteBuffer received = ByteBuffer.allocateDirect(65536);
  private final Thread sender;
  private final Thread receiver;
  private volatile boolean closed;

  private final LongAdder datagramsSent = new LongAdder();
  private final LongAdder recordsSent = new LongAdder();
  private final LongAdder sendErrors = new LongAdder();
  private final LongAdder datagramsReceived = new LongAdder();
  private final LongAdder recordsReceived = new LongAdder();
  private final LongAdder notFromPeer = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder unknownBackend = new LongAdder();
  private volatile boolean loggedSend;
  private volatile boolean loggedStranger;
  private volatile boolean loggedMalformed;

  private FlowSync(DatagramChannel channel, List<InetSocketAddress> peers, List<FlowOutbox> outboxes,
      PeerFlows peerFlows, Supplier<ForwardingState> state, LongSupplier nanoClock, Duration interval,
      Duration refresh) {
    this.channel = channel;
    this.peers = List.copyOf(peers);
    this.peerAddresses = Set.copyOf(peers.stream().map(InetSocketAddress::getAddress).toList());
    this.outboxes = List.copyOf(outboxes);
    this.peerFlows = peerFlows;
    this.state = state;
    this.nanoClock = nanoClock;
    this.intervalNanos = interval.toNanos();
    this.holdNanos = refresh.toNanos() * 3;
    this.sender = Thread.ofPlatform().name("flow-sync-send").daemon(true).unstarted(this::sendLoop);
    this.receiver = Thread.ofPlatform().name("flow-sync-receive").daemon(true).unstarted(this::receiveLoop);
  }

  /**
   * Binds {@code listen} and starts both threads.
   *
   * @param peers the other directors' sync addresses (with port)
   * @param outboxes the workers' outboxes, drained by the sender only
   * @param peerFlows written by the receiver only
   * @param nanoClock the workers' clock ({@code System::nanoTime}): expiry times are on it
   * @throws IOException (one line) when the address cannot be bound
   */
  public static FlowSync start(InetSocketAddress listen, List<InetSocketAddress> peers, List<FlowOutbox> outboxes,
      PeerFlows peerFlows, Supplier<ForwardingState> state, LongSupplier nanoClock, Duration interval,
      Duration refresh) throws IOException {
    DatagramChannel channel = DatagramChannel.open(listen.getAddress() instanceof java.net.Inet6Address
        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
    try {
      channel.bind(listen);
    } catch (IOException e) {
      channel.close();
      throw new IOException("cannot bind flow sync to " + Addresses.toText(listen.getAddress()) + " port "
          + listen.getPort() + ": " + e.getMessage(), e);
    }
    FlowSync sync = new FlowSync(channel, peers, outboxes, peerFlows, state, nanoClock, interval, refresh);
    sync.sender.start();
    sync.receiver.start();
    return sync;
  }

  /** The bound address (its port, when 0 was asked for). */
  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  // ---- sender ----

  private void sendLoop() {
    long next = System.nanoTime(); // pacing is real time; nanoClock only dates the peers' flows
    while (!closed) {
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait); // the send interval, not a wait for a condition
      } else {
        next = System.nanoTime();
      }
      try {
        sendOnce();
      } catch (RuntimeException e) {
        LOG.warning("flow sync: sending failed: " + e);
      }
    }
  }

  /** Drains the outboxes and sends what they held; sender thread (or a test, with the sender idle). */
  void sendOnce() {
    ForwardingState s = state.get();
    writer.reset();
    for (FlowOutbox outbox : outboxes) {
      outbox.drain((sHi, sLo, dHi, dLo, portPair, proto, slot, generation) -> {
        String backend = s == null ? null : s.nameOf(slot, generation);
        if (backend == null) {
          return; // the slot was freed or reused since the flow was pinned
        }
        byte[] name = names.computeIfAbsent(backend, n -> n.getBytes(StandardCharsets.UTF_8));
        if (!writer.fits(name)) {
          flush();
        }
        writer.add(sHi, sLo, dHi, dLo, portPair, proto, name);
      });
    }
    flush();
  }

  private void flush() {
    int count = writer.count();
    if (count == 0) {
      return;
    }
    ByteBuffer datagram = writer.finish();
    for (InetSocketAddress peer : peers) {
      try {
        channel.send(datagram.rewind(), peer);
        datagramsSent.increment();
        recordsSent.add(count);
      } catch (ClosedChannelException e) {
        break;
      } catch (IOException e) {
        sendErrors.increment();
        if (!loggedSend) {
          loggedSend = true;
          LOG.warning("flow sync: cannot send to " + Addresses.toText(peer.getAddress()) + " (further failures are "
              + "only counted): " + e.getMessage());
        }
      }
    }
    writer.reset();
  }

  // ---- receiver ----

  private void receiveLoop() {
    long nextExpiry = nanoClock.getAsLong() + 1_000_000_000L;
    try {
      channel.configureBlocking(false);
      try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
        channel.register(selector, java.nio.channels.SelectionKey.OP_READ);
        while (!closed) {
          selector.select(1000);
          selector.selectedKeys().clear();
          SocketAddress from;
          while ((from = channel.receive(received.clear())) != null) {
            handle(from, received.flip());
          }
          long now = nanoClock.getAsLong();
          if (now - nextExpiry >= 0) {
            peerFlows.expire(now);
            nextExpiry = now + 1_000_000_000L;
          }
        }
      }
    } catch (ClosedChannelException e) {
      // closed: done
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        LOG.severe("flow sync: the receiver stopped: " + e);
      }
    }
  }

  /** Handles one datagram {@code from} a sender; receiver thread (or a test). */
  void handle(SocketAddress from, ByteBuffer datagram) {
    datagramsReceived.increment();
    InetAddress sender = ((InetSocketAddress) from).getAddress();
    if (!peerAddresses.contains(sender)) {
      notFromPeer.increment();
      if (!loggedStranger) {
        loggedStranger = true;
        LOG.warning("flow sync: dropped a datagram from " + Addresses.toText(sender) + ", not a peer (further ones "
            + "are only counted)");
      }
      return;
    }
    ForwardingState s = state.get();
    long expires = nanoClock.getAsLong() + holdNanos;
    String problem = SyncDatagram.read(datagram, (sHi, sLo, dHi, dLo, portPair, proto, backend) -> {
      recordsReceived.increment();
      int slot = s == null ? -1 : s.slot(backend);
      if (slot < 0) {
        unknownBackend.increment();
        return;
      }
      peerFlows.put(sHi, sLo, dHi, dLo, portPair, proto, slot, s.generationOf(slot), expires);
    });
    if (problem != null) {
      malformed.increment();
      if (!loggedMalformed) {
        loggedMalformed = true;
        LOG.warning("flow sync: dropped a datagram from " + Addresses.toText(sender) + ": " + problem
            + " (further ones are only counted)");
      }
    }
  }

  /** Counters and sizes for /status and /metrics; any thread. */
  public SyncStatus status() {
    long dropped = 0;
    long offered = 0;
    for (FlowOutbox o : outboxes) {
      dropped += o.dropped();
      offered += o.offered();
    }
    return new SyncStatus(peers.stream().map(p -> Addresses.toText(p.getAddress())).toList(), offered, dropped,
        datagramsSent.sum(), recordsSent.sum(), sendErrors.sum(), datagramsReceived.sum(), recordsReceived.sum(),
        notFromPeer.sum(), malformed.sum(), unknownBackend.sum(), peerFlows.size(), peerFlows.rejected());
  }

  /** Stops both threads (within about a second) and closes the socket. Idempotent. */
  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      LOG.fine("flow sync close: " + e);
    }
    java.util.concurrent.locks.LockSupport.unpark(sender);
    try {
      sender.join(Duration.ofSeconds(2));
      receiver.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
