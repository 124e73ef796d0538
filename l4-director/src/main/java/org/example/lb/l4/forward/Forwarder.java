package org.example.lb.l4.forward;

import java.nio.ByteBuffer;
import org.example.lb.l4.flow.FlowOutbox;
import org.example.lb.l4.flow.FlowTable;
import org.example.lb.l4.flow.PeerFlows;
import org.example.lb.l4.nativeio.SockAddr;
import org.example.lb.l4.packet.DropCounters;
import org.example.lb.l4.packet.PacketView;
import org.example.lb.l4.packet.Verdict;
import org.example.lb.l4.tunnel.Encapsulator;
import org.example.lb.l4.tunnel.IcmpTooBig;
import org.example.lb.l4.tunnel.TunnelEndpoint;

/**
 * One worker's forwarding decision, without sockets: a client packet in, a verdict and (on {@link Verdict#OK}) the
 * tunnel packet's range in the same buffer and the LB7's socket address out. Owns the worker's flow table, scheduler
 * state, encapsulator, ICMP rate limit and verdict counters. Single-threaded; allocation-free per packet.
 *
 * <p>Per packet ({@link #forward}):
 * <ol>
 *   <li>parse ({@link PacketView#forForwarding()}: bad headers, TTL / hop limit &le; 1 and fragments are dropped);</li>
 *   <li>only TCP / UDP packets to a configured service pass ({@link Verdict#NOT_A_SERVICE});</li>
 *   <li>a known flow whose LB7 is UP or DRAINING stays on it (its idle class moves to closing after a client FIN or
 *       RST); a flow whose LB7 is DOWN or was removed is forgotten and the packet scheduled as below; a SYN without
 *       ACK on a closing flow is a new connection reusing the 5-tuple and is scheduled as new;</li>
 *   <li>an unknown flow's TCP packet without SYN goes to the LB7 a peer director pinned it to, when flow sync told
 *       of it and that LB7 is UP or DRAINING ({@link FlowSharing#peers()}), else to the consistent mid-flow table
 *       ({@link ForwardingState}); anything else (SYN, UDP) to the {@link SchedulerKind}; no backend →
 *       {@link Verdict#NO_BACKEND};</li>
 *   <li>the outer family is the inner packet's if the LB7 has an address of it and the director a source of it,
 *       else the other one ({@link Verdict#NO_TUNNEL_ADDRESS} if neither);</li>
 *   <li>encapsulate; above the tunnel MTU the verdict is {@link Verdict#TOO_BIG} and, within the ICMP rate,
 *       {@link #icmpLength()} bytes of ICMP / ICMPv6 Packet Too Big (from the VIP to the client) wait in
 *       {@link #icmpBuffer()} to be written into the TUN device.</li>
 * </ol>
 * Every call counts exactly one verdict in {@link #counters()} (OK included). With flow sync, each TCP flow this
 * forwarder pins is queued in {@link FlowSharing#outbox()} for the peers, and queued again every
 * {@link FlowSharing#refresh()} while packets keep coming (a full outbox is counted there, never waited for).
 */
public final class Forwarder {
  private static final int OK = Verdict.OK.code();
  private static final int TOO_BIG = Verdict.TOO_BIG.code();
  private static final java.lang.invoke.VarHandle PEER_HITS =
      java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);

  private final PacketView view = PacketView.forForwarding();
  private final Encapsulator encapsulator;
  private final FlowTable flows;
  private final Scheduler scheduler = new Scheduler();
  private final TokenBucket icmpBudget;
  private final DropCounters counters = new DropCounters();
  private final ByteBuffer icmp = ByteBuffer.allocateDirect(IcmpTooBig.MAX_IPV6_ERROR);
  private final int tunnelMtu;
  private final boolean sendsIpv4;
  private final boolean sendsIpv6;
  private final FlowOutbox outbox;
  private final PeerFlows peers;
  private final long refreshNanos;
  private final long[] peerHits = new long[1];

  private int outputStart;
  private int outputLength;
  private int icmpLength;
  private SockAddr destination;
  private String backend;

  private Forwarder(int workerIndex, WorkerSettings settings, FlowSharing sharing) {
    this.encapsulator = Encapsulator.create(settings.ipv4Source().map(TunnelEndpoint::of),
        settings.ipv6Source().map(TunnelEndpoint::of), settings.tunnelMtu(), workerIndex * 4096);
    this.flows = FlowTable.create(settings.flowCapacity(), settings.tcpIdle().toNanos(),
        settings.tcpClosingIdle().toNanos(), settings.udpIdle().toNanos(), ForwardingState.MAX_BACKENDS);
    this.icmpBudget = new TokenBucket(settings.icmpPerSecond());
    this.tunnelMtu = settings.tunnelMtu();
    this.sendsIpv4 = settings.ipv4Source().isPresent();
    this.sendsIpv6 = settings.ipv6Source().isPresent();
    this.outbox = sharing.outbox().orElse(null);
    this.peers = sharing.peers().orElse(null);
    this.refreshNanos = sharing.refresh().toNanos();
  }

  /** The forwarder of worker {@code workerIndex} (it seeds the outer IPv4 identification), without flow sync. */
  public static Forwarder create(int workerIndex, WorkerSettings settings) {
    return new Forwarder(workerIndex, settings, FlowSharing.NONE);
  }

  /** The forwarder of worker {@code workerIndex} taking part in flow sync as {@code sharing} says. */
  public static Forwarder create(int workerIndex, WorkerSettings settings, FlowSharing sharing) {
    return new Forwarder(workerIndex, settings, java.util.Objects.requireNonNull(sharing, "sharing"));
  }

  /**
   * Decides what to do with the packet {@code buf[off, off+len)} read from the TUN device at {@code nowNanos}. The
   * packet must start at least {@link Encapsulator#HEADROOM} bytes into the buffer (the outer header is written
   * before it). Never throws for any content or range.
   *
   * @return a {@link Verdict} code; on OK send {@code buf[outputStart(), outputStart()+outputLength())} to
   *     {@link #destination()}
   */
  public int forward(ForwardingState state, ByteBuffer buf, int off, int len, long nowNanos) {
    outputLength = 0;
    icmpLength = 0;
    destination = null;
    backend = null;
    int verdict = decide(state, buf, off, len, nowNanos);
    counters.count(verdict);
    return verdict;
  }

  private int decide(ForwardingState state, ByteBuffer buf, int off, int len, long now) {
    int verdict = view.parse(buf, off, len);
    if (verdict != OK) {
      return verdict;
    }
    if (!state.isService(view)) {
      return Verdict.NOT_A_SERVICE.code();
    }
    boolean tcp = view.protocol() == PacketView.PROTO_TCP;
    int flags = view.tcpFlags();
    boolean syn = tcp && (flags & PacketView.TCP_SYN) != 0;
    boolean clientClosing = tcp && (flags & (PacketView.TCP_FIN | PacketView.TCP_RST)) != 0;
    int slot = -1;
    int entry = flows.find(view, now);
    if (entry != FlowTable.ABSENT) {
      int previousClass = flows.idleClass(entry);
      boolean reusedTuple = syn && (flags & PacketView.TCP_ACK) == 0 && previousClass == FlowTable.TCP_CLOSING;
      if (!reusedTuple && state.keepsFlow(flows.slot(entry), flows.generation(entry))) {
        slot = flows.slot(entry);
        int idleClass = !tcp ? FlowTable.DATAGRAM
            : clientClosing || previousClass == FlowTable.TCP_CLOSING ? FlowTable.TCP_CLOSING : FlowTable.TCP_OPEN;
        flows.touch(entry, idleClass, now);
        if (outbox != null && tcp && now - flows.sharedAt(entry) >= refreshNanos) {
          outbox.offer(view, slot, flows.generation(entry));
          flows.shared(entry, now);
        }
      } else {
        flows.remove(entry);
        entry = FlowTable.ABSENT;
      }
    }
    if (slot < 0) {
      slot = tcp && !syn ? midFlowSlot(state, now) : scheduler.newFlowSlot(state, view, flows);
      if (slot < 0) {
        return Verdict.NO_BACKEND.code();
      }
    }
    TunnelEndpoint lb7;
    SockAddr to;
    TunnelEndpoint v4 = sendsIpv4 ? state.ipv4(slot) : null;
    TunnelEndpoint v6 = sendsIpv6 ? state.ipv6(slot) : null;
    if (v4 != null && (view.version() == 4 || v6 == null)) {
      lb7 = v4;
      to = state.sockIpv4(slot);
    } else if (v6 != null) {
      lb7 = v6;
      to = state.sockIpv6(slot);
    } else {
      return Verdict.NO_TUNNEL_ADDRESS.code();
    }
    if (entry == FlowTable.ABSENT) {
      int idleClass = !tcp ? FlowTable.DATAGRAM : clientClosing ? FlowTable.TCP_CLOSING : FlowTable.TCP_OPEN;
      flows.insert(view, slot, state.generation(slot), idleClass, now);
      if (outbox != null && tcp) {
        outbox.offer(view, slot, state.generation(slot));
      }
    }
    backend = state.slotName(slot);
    verdict = encapsulator.encapsulate(buf, view, lb7);
    if (verdict == OK) {
      outputStart = encapsulator.start();
      outputLength = encapsulator.length();
      destination = to;
    } else if (verdict == TOO_BIG && icmpBudget.tryTake(now)) {
      int outerHeader = lb7.isIpv4() ? Encapsulator.IPV4_HEADER_LENGTH : Encapsulator.IPV6_HEADER_LENGTH;
      icmpLength = IcmpTooBig.write(buf, view, tunnelMtu, outerHeader, icmp, 0);
    }
    return verdict;
  }

  /** A peer's LB7 for the flow when flow sync told of one that still takes flows, else the mid-flow table's. */
  private int midFlowSlot(ForwardingState state, long now) {
    if (peers != null) {
      long pinned = peers.find(view, now);
      if (pinned != PeerFlows.ABSENT) {
        int slot = (int) (pinned >>> 32);
        if (state.keepsFlow(slot, (int) pinned)) {
          PEER_HITS.setOpaque(peerHits, 0, peerHits[0] + 1);
          return slot;
        }
      }
    }
    return state.midFlowSlot(view);
  }

  /** Mid-flow packets of unknown flows sent to the LB7 a peer director named (flow sync); any thread. */
  public long peerHits() {
    return (long) PEER_HITS.getOpaque(peerHits, 0);
  }

  /** Removes the flows idle past their timeout at {@code nowNanos}; returns how many. */
  public int expire(long nowNanos) {
    return flows.expire(nowNanos);
  }

  /** Offset of the tunnel packet after {@link Verdict#OK}. */
  public int outputStart() {
    return outputStart;
  }

  /** Length of the tunnel packet after {@link Verdict#OK}; 0 otherwise. */
  public int outputLength() {
    return outputLength;
  }

  /** The LB7's tunnel address after {@link Verdict#OK} (send with the raw socket of its family); else null. */
  public SockAddr destination() {
    return destination;
  }

  /** The name of the LB7 the last packet was scheduled to (also after TOO_BIG), or null. */
  public String backend() {
    return backend;
  }

  /**
   * Bytes of ICMP / ICMPv6 Packet Too Big waiting in {@link #icmpBuffer()} after {@link Verdict#TOO_BIG}: 0 when
   * rate-limited, or when no error may be sent (e.g. the packet was itself an ICMP error).
   */
  public int icmpLength() {
    return icmpLength;
  }

  /** The direct buffer holding the ICMP error from offset 0; reused by the next packet. */
  public ByteBuffer icmpBuffer() {
    return icmp;
  }

  /** This forwarder's verdict counts (one per {@link #forward} call); readable from any thread. */
  public DropCounters counters() {
    return counters;
  }

  /** This worker's flow table (its counts are readable from any thread). */
  public FlowTable flows() {
    return flows;
  }
}
