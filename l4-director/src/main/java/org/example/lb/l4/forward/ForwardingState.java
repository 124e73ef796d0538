package org.example.lb.l4.forward;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.example.lb.common.config.Addresses;
import org.example.lb.common.config.Validation;
import org.example.lb.l4.maglev.Backend;
import org.example.lb.l4.maglev.FlowHash;
import org.example.lb.l4.maglev.MaglevTable;
import org.example.lb.l4.nativeio.SockAddr;
import org.example.lb.l4.packet.PacketView;
import org.example.lb.l4.tunnel.TunnelEndpoint;

/**
 * Everything the workers need to forward, immutable: the services, the LB7s and the scheduling tables. Built off the
 * packet path by the control plane (each build of the two default-size Maglev tables takes a few milliseconds) and
 * published to the workers through a volatile reference (e.g. an {@code AtomicReference}); each worker reads it once
 * per batch of packets.
 *
 * <p><b>Two consistent tables.</b> New flows (a TCP SYN, the first packet of a UDP flow) are scheduled by the
 * {@link SchedulerKind} over the UP backends. A TCP packet without SYN of a flow this worker does not know (the flow
 * began on another director and ECMP moved it here, or this director restarted) is scheduled, whatever the kind, by
 * a table that is the same on every director, over the UP <em>and</em> DRAINING backends at their configured
 * weights (as IPVS's sloppy_tcp, but draining-aware): so a moved flow of a draining LB7 still reaches it. That table
 * is Maglev (with the configured {@link HashKey}) for MAGLEV, RR, WRR, LC and WLC, and the SH / DH bucket table for
 * SH / DH (those are consistent, so a moved flow finds the LB7 the first director picked). When it has no backend
 * (all weights 0) the new-flow table is used instead. Trade-off: while an LB7 drains, the mid-flow table differs a
 * little from the new-flow table, so a flow that began after the drain and then moves director may land on another
 * LB7 (which resets it). UDP has no such signal: an unknown UDP flow is always scheduled as new, so a UDP flow
 * moved between directors keeps its LB7 only under a consistent kind and while that LB7 is UP.
 *
 * <p><b>Slots.</b> Workers' flows point at a backend <em>slot</em> and the slot's <em>generation</em>. {@link
 * #build} keeps the slot (and generation) of every name that {@code previous} had, so flows survive any change of
 * the other backends, of weights, of addresses and of state (a flow's LB7 is looked up by slot at each packet). A new
 * name takes the lowest slot free in this build, possibly one a removed name used, with a new generation (process-wide
 * unique); a flow whose generation no longer matches its slot belongs to a removed backend and is rescheduled on its
 * next packet, like a flow of a DOWN backend. Without {@code previous} every slot gets a new generation, so all
 * existing flows are rescheduled (safe, never misdirected).
 */
public final class ForwardingState {
  /** The most backends (slots) a state holds. */
  public static final int MAX_BACKENDS = 4096;
  /** Buckets of the SH / DH tables. */
  public static final int HASH_BUCKETS = 4096;

  static final byte FREE = 0;
  static final byte UP = 1;
  static final byte DRAINING = 2;
  static final byte DOWN = 3;

  private static final AtomicInteger GENERATIONS = new AtomicInteger();

  private final SchedulerKind kind;
  private final HashKey hashKey;
  private final List<ServiceSpec> services;
  private final List<BackendSpec> backends;

  private final int slotCount;
  private final String[] slotName;
  private final int[] slotGeneration;
  private final byte[] slotStatus;
  private final int[] slotWeight;
  private final TunnelEndpoint[] slotIpv4;
  private final TunnelEndpoint[] slotIpv6;
  private final SockAddr[] slotSockIpv4;
  private final SockAddr[] slotSockIpv6;
  private final int[] newFlowSlots;
  private final Map<String, Integer> slotByName = new HashMap<>();

  private final MaglevTable newTable;
  private final MaglevTable midTable;
  private final int[] newTableSlot;
  private final int[] midTableSlot;
  private final short[] newBuckets;
  private final short[] midBuckets;

  private final long[] serviceHigh;
  private final long[] serviceLow;
  private final int[] serviceKey;
  private final int serviceMask;

  private ForwardingState(SchedulerKind kind, HashKey hashKey, int tableSize, List<ServiceSpec> services,
      List<BackendSpec> sortedBackends, int[] slots, int[] generations) {
    this.kind = kind;
    this.hashKey = hashKey;
    this.services = services;
    this.backends = sortedBackends;
    int count = 0;
    for (int s : slots) {
      count = Math.max(count, s + 1);
    }
    slotCount = count;
    slotName = new String[count];
    slotGeneration = new int[count];
    slotStatus = new byte[count];
    slotWeight = new int[count];
    slotIpv4 = new TunnelEndpoint[count];
    slotIpv6 = new TunnelEndpoint[count];
    slotSockIpv4 = new SockAddr[count];
    slotSockIpv6 = new SockAddr[count];
    List<Backend> up = new ArrayList<>();
    List<Backend> upOrDraining = new ArrayList<>();
    List<Integer> upSlots = new ArrayList<>();
    for (int i = 0; i < sortedBackends.size(); i++) {
      BackendSpec b = sortedBackends.get(i);
      int s = slots[i];
      slotName[s] = b.name();
      slotByName.put(b.name(), s);
      slotGeneration[s] = generations[i];
      slotStatus[s] = switch (b.state()) {
        case UP -> UP;
        case DRAINING -> DRAINING;
        case DOWN -> DOWN;
      };
      slotWeight[s] = b.weight();
      slotIpv4[s] = b.ipv4().map(TunnelEndpoint::of).orElse(null);
      slotIpv6[s] = b.ipv6().map(TunnelEndpoint::of).orElse(null);
      slotSockIpv4[s] = b.ipv4().map(SockAddr::of).orElse(null);
      slotSockIpv6[s] = b.ipv6().map(SockAddr::of).orElse(null);
      if (b.weight() > 0 && b.state() != BackendState.DOWN) {
        upOrDraining.add(new Backend(b.name(), b.weight()));
        if (b.state() == BackendState.UP) {
          up.add(new Backend(b.name(), b.weight()));
          upSlots.add(s);
        }
      }
    }
    newFlowSlots = upSlots.stream().mapToInt(Integer::intValue).toArray();
    newTable = MaglevTable.build(up, tableSize);
    midTable = MaglevTable.build(upOrDraining, tableSize);
    newTableSlot = tableSlots(newTable);
    midTableSlot = tableSlots(midTable);
    newBuckets = buckets(up);
    midBuckets = buckets(upOrDraining);

    int capacity = Integer.highestOneBit(Math.max(1, services.size())) << 2;
    serviceHigh = new long[capacity];
    serviceLow = new long[capacity];
    serviceKey = new int[capacity];
    serviceMask = capacity - 1;
    for (ServiceSpec service : services) {
      TunnelEndpoint vip = TunnelEndpoint.of(service.vip());
      int key = serviceKey(service.protocol().number(), service.port());
      int i = serviceSlot(vip.high(), vip.low(), key);
      while (serviceKey[i] != 0) {
        i = (i + 1) & serviceMask;
      }
      serviceHigh[i] = vip.high();
      serviceLow[i] = vip.low();
      serviceKey[i] = key;
    }
  }

  private int[] tableSlots(MaglevTable table) {
    int[] bySlot = new int[table.backends().size()];
    for (int i = 0; i < bySlot.length; i++) {
      bySlot[i] = slotOf(table.backends().get(i).name());
    }
    return bySlot;
  }

  /** Fills {@link #HASH_BUCKETS} buckets by smooth weighted round robin over {@code sorted} (by name). */
  private short[] buckets(List<Backend> sorted) {
    if (sorted.isEmpty()) {
      return new short[0];
    }
    short[] buckets = new short[HASH_BUCKETS];
    long[] current = new long[sorted.size()];
    long total = sorted.stream().mapToLong(Backend::weight).sum();
    for (int b = 0; b < HASH_BUCKETS; b++) {
      int best = 0;
      for (int i = 0; i < current.length; i++) {
        current[i] += sorted.get(i).weight();
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      buckets[b] = (short) slotOf(sorted.get(best).name());
    }
    return buckets;
  }

  private int slotOf(String name) {
    return slotByName.get(name);
  }

  /**
   * Builds a state. Backends and services may come in any order; backend names must be unique, services must not
   * repeat.
   *
   * @param previous the state this one replaces (its backends keep their slots, so their flows stay), or empty
   * @param tableSize the Maglev table size: a prime above the number of backends (the director requires > 100 ×), e.g.
   *     {@link MaglevTable#DEFAULT_SIZE}
   * @throws IllegalArgumentException {@code field: value (expected: what)} for duplicate names or services, more
   *     than {@link #MAX_BACKENDS} backends or a bad table size
   */
  public static ForwardingState build(Optional<ForwardingState> previous, SchedulerKind kind, HashKey key,
      int tableSize, List<ServiceSpec> services, List<BackendSpec> backends) {
    Validation.required("previous", previous);
    Validation.required("scheduler", kind);
    Validation.required("hashKey", key);
    List<ServiceSpec> serviceList = List.copyOf(Validation.required("services", services));
    Set<ServiceSpec> seen = new HashSet<>();
    for (ServiceSpec s : serviceList) {
      if (!seen.add(s)) {
        throw Validation.invalid("services", s.protocol() + " " + Addresses.toText(s.vip()) + " port " + s.port(),
            "each service once");
      }
    }
    List<BackendSpec> sorted = new ArrayList<>(Validation.required("backends", backends));
    sorted.sort(Comparator.comparing(BackendSpec::name));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
        throw Validation.invalid("backends", "duplicate name \"" + sorted.get(i).name() + "\"", "unique names");
      }
    }
    if (sorted.size() > MAX_BACKENDS) {
      throw Validation.invalid("backends", sorted.size(), "at most " + MAX_BACKENDS);
    }
    Map<String, Integer> previousSlots = new HashMap<>();
    previous.ifPresent(p -> {
      for (int s = 0; s < p.slotCount; s++) {
        if (p.slotName[s] != null) {
          previousSlots.put(p.slotName[s], s);
        }
      }
    });
    int[] slots = new int[sorted.size()];
    int[] generations = new int[sorted.size()];
    boolean[] taken = new boolean[MAX_BACKENDS];
    for (int i = 0; i < sorted.size(); i++) {
      Integer s = previousSlots.get(sorted.get(i).name());
      slots[i] = -1;
      if (s != null) {
        slots[i] = s;
        generations[i] = previous.orElseThrow().slotGeneration[s];
        taken[s] = true;
      }
    }
    int free = 0;
    for (int i = 0; i < sorted.size(); i++) {
      if (slots[i] < 0) {
        while (taken[free]) {
          free++;
        }
        slots[i] = free;
        generations[i] = GENERATIONS.incrementAndGet();
        taken[free] = true;
      }
    }
    return new ForwardingState(kind, key, tableSize, serviceList, List.copyOf(sorted), slots, generations);
  }

  /** The backends, sorted by name. */
  public List<BackendSpec> backends() {
    return backends;
  }

  /** The services, in the order given. */
  public List<ServiceSpec> services() {
    return services;
  }

  public SchedulerKind scheduler() {
    return kind;
  }

  public HashKey hashKey() {
    return hashKey;
  }

  /**
   * How many entries of the new-flow Maglev table (over the UP backends) {@code backendName} owns: its share of new
   * flows under {@link SchedulerKind#MAGLEV} is this / {@link #tableSize()}. 0 for an unknown, DRAINING, DOWN or
   * weight-0 backend.
   */
  public int tableEntries(String backendName) {
    int i = newTable.indexOf(backendName);
    return i < 0 ? 0 : newTable.entriesOf(i);
  }

  /** The size of the Maglev tables. */
  public int tableSize() {
    return newTable.size();
  }

  /** The slot of {@code backendName}, or -1 (for status and tests). */
  public int slot(String backendName) {
    return slotByName.getOrDefault(backendName, -1);
  }

  /**
   * The name of the backend in {@code slot} if the slot still has {@code generation}, else null (flow sync names a
   * worker's flow this way).
   */
  public String nameOf(int slot, int generation) {
    return slot >= 0 && slot < slotCount && slotGeneration[slot] == generation ? slotName[slot] : null;
  }

  /** The generation of the backend in {@code slot} (0 &le; slot &lt; slots in use; flow sync stores it). */
  public int generationOf(int slot) {
    return slotGeneration[slot];
  }

  // ---- packet path (package-private, allocation-free) ----

  int slotCount() {
    return slotCount;
  }

  String slotName(int slot) {
    return slotName[slot];
  }

  int generation(int slot) {
    return slotGeneration[slot];
  }

  int weight(int slot) {
    return slotWeight[slot];
  }

  TunnelEndpoint ipv4(int slot) {
    return slotIpv4[slot];
  }

  TunnelEndpoint ipv6(int slot) {
    return slotIpv6[slot];
  }

  SockAddr sockIpv4(int slot) {
    return slotSockIpv4[slot];
  }

  SockAddr sockIpv6(int slot) {
    return slotSockIpv6[slot];
  }

  /** UP backends with a positive weight, sorted by name: the candidates of RR, WRR, LC and WLC. */
  int[] newFlowSlots() {
    return newFlowSlots;
  }

  /** Whether a flow pointing at {@code slot} of {@code generation} still has its LB7: same name, UP or DRAINING. */
  boolean keepsFlow(int slot, int generation) {
    if (slot < 0 || slot >= slotCount || slotGeneration[slot] != generation) {
      return false;
    }
    byte status = slotStatus[slot];
    return status == UP || status == DRAINING;
  }

  /** Whether the parsed packet (TCP or UDP) is addressed to a service. */
  boolean isService(PacketView packet) {
    int protocol = packet.protocol();
    if (protocol != PacketView.PROTO_TCP && protocol != PacketView.PROTO_UDP) {
      return false;
    }
    long hi = packet.destinationHigh();
    long lo = packet.destinationLow();
    return hasService(hi, lo, serviceKey(protocol, packet.destinationPort()))
        || hasService(hi, lo, serviceKey(protocol, 0));
  }

  private boolean hasService(long hi, long lo, int key) {
    int i = serviceSlot(hi, lo, key);
    int k;
    while ((k = serviceKey[i]) != 0) {
      if (k == key && serviceLow[i] == lo && serviceHigh[i] == hi) {
        return true;
      }
      i = (i + 1) & serviceMask;
    }
    return false;
  }

  private static int serviceKey(int protocol, int port) {
    return 1 << 24 | protocol << 16 | port;
  }

  private int serviceSlot(long hi, long lo, int key) {
    long h = (hi * 0x9e37_79b9_7f4a_7c15L ^ lo) * 0xbf58_476d_1ce4_e5b9L ^ key * 0x94d0_49bbL;
    return (int) (h ^ h >>> 29) & serviceMask;
  }

  /** The slot for a new flow under a consistent kind (MAGLEV, SH, DH), or -1 when no backend is UP. */
  int consistentNewFlowSlot(PacketView packet) {
    return switch (kind) {
      case SH -> bucket(newBuckets, sourceHash(packet));
      case DH -> bucket(newBuckets, destinationHash(packet));
      default -> maglev(newTable, newTableSlot, packet);
    };
  }

  /** The slot for a mid-flow packet of an unknown flow, or -1 when no backend is UP or DRAINING. */
  int midFlowSlot(PacketView packet) {
    int slot = switch (kind) {
      case SH -> bucket(midBuckets, sourceHash(packet));
      case DH -> bucket(midBuckets, destinationHash(packet));
      default -> maglev(midTable, midTableSlot, packet);
    };
    return slot >= 0 ? slot : consistentNewFlowSlot(packet);
  }

  private int maglev(MaglevTable table, int[] tableSlot, PacketView packet) {
    long hash;
    if (hashKey == HashKey.SOURCE) {
      hash = sourceHash(packet);
    } else if (packet.version() == 4) {
      hash = FlowHash.fiveTupleV4(packet.ipv4Source(), packet.ipv4Destination(), packet.sourcePort(),
          packet.destinationPort(), packet.protocol());
    } else {
      hash = FlowHash.fiveTupleV6(packet.sourceHigh(), packet.sourceLow(), packet.destinationHigh(),
          packet.destinationLow(), packet.sourcePort(), packet.destinationPort(), packet.protocol());
    }
    int index = table.lookup(hash);
    return index == MaglevTable.NO_BACKEND ? -1 : tableSlot[index];
  }

  private static long sourceHash(PacketView packet) {
    return packet.version() == 4
        ? FlowHash.sourceOnlyV4(packet.ipv4Source())
        : FlowHash.sourceOnlyV6(packet.sourceHigh(), packet.sourceLow());
  }

  private static long destinationHash(PacketView packet) {
    // The address-only hash of FlowHash, applied to the destination.
    return packet.version() == 4
        ? FlowHash.sourceOnlyV4(packet.ipv4Destination())
        : FlowHash.sourceOnlyV6(packet.destinationHigh(), packet.destinationLow());
  }

  private static int bucket(short[] buckets, long hash) {
    return buckets.length == 0 ? -1 : buckets[(int) Math.unsignedMultiplyHigh(hash, buckets.length)];
  }

  @Override
  public String toString() {
    return "ForwardingState[" + kind.configName() + ", " + hashKey.configName() + ", services=" + services.size()
        + ", backends=" + backends.size() + "]";
  }
}
