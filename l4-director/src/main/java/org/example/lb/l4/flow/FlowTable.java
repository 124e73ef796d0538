package org.example.lb.l4.flow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.SplittableRandom;
import org.example.lb.common.config.Validation;
import org.example.lb.l4.packet.PacketView;

/**
 * One worker's flow table: 5-tuple (source and destination address, ports, protocol) → backend, bounded, with idle
 * timeouts. Everything lives in preallocated {@code int} / {@code long} arrays: lookups, inserts, touches, removals
 * and expiry allocate nothing.
 *
 * <p><b>Index.</b> Open addressing with linear probing over a power-of-two array at most half full, deletion by
 * backward shift (no tombstones). The hash is seeded at random per table, so a client cannot choose 5-tuples that
 * collide.
 *
 * <p><b>Idle timeouts.</b> Each flow is in one of three idle classes, each with its own timeout: {@link #TCP_OPEN}
 * (default 900 s), {@link #TCP_CLOSING} (after a client FIN or RST; default 120 s) and {@link #DATAGRAM} (UDP and
 * anything else; default 30 s). Each class is an intrusive doubly linked list, most recently seen first; since the
 * clock ({@code nowNanos}, e.g. {@link System#nanoTime()}) only moves forward, each list is ordered by last-seen
 * time and {@link #expire} removes exactly the expired flows from the tails, O(1) per removed flow. {@link #find}
 * also treats an expired flow as absent (and removes it), so expiry is exact whenever {@link #expire} runs.
 *
 * <p><b>Full table.</b> Inserting into a full table evicts the least recently seen flow (the oldest of the three
 * list tails) and counts an {@link #evictions() eviction}.
 *
 * <p><b>Per-backend counts.</b> Flows point at a backend <em>slot</em> and its <em>generation</em> (see
 * {@code ForwardingState}); {@link #flowsOf(int, int)} counts the flows of a slot at that generation, so flows left
 * over from an older backend in a reused slot are never counted for the new one.
 *
 * <p>Threading: one owner thread (the worker) calls everything but {@link #size()}, {@link #flowsOf},
 * {@link #evictions()} and {@link #expirations()}, which other threads may call for a racy, never torn snapshot.
 */
public final class FlowTable {
  /** Idle class of a TCP flow with no client FIN or RST seen. */
  public static final int TCP_OPEN = 0;
  /** Idle class of a TCP flow after a client FIN or RST. */
  public static final int TCP_CLOSING = 1;
  /** Idle class of a UDP flow (and of any other protocol). */
  public static final int DATAGRAM = 2;
  /** The number of idle classes. */
  public static final int IDLE_CLASSES = 3;
  /** The largest capacity accepted. */
  public static final int MAX_CAPACITY = 1 << 24;
  /** What {@link #find} returns for an absent flow. */
  public static final int ABSENT = -1;

  private static final int NONE = -1;
  private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private final int capacity;
  private final long[] idleNanos = new long[IDLE_CLASSES];
  private final long seed;

  private final long[] srcHi;
  private final long[] srcLo;
  private final long[] dstHi;
  private final long[] dstLo;
  private final int[] ports;
  private final byte[] protocol;
  private final int[] hash;
  private final int[] slot;
  private final int[] generation;
  private final long[] lastSeen;
  private final long[] sharedAt;
  private final byte[] idleClass;
  private final int[] prev;
  private final int[] next;
  private final int[] head = new int[IDLE_CLASSES];
  private final int[] tail = new int[IDLE_CLASSES];
  private int freeHead;

  private final int[] index;
  private final int mask;

  private final int[] slotFlows;
  private final int[] slotGeneration;
  /** size, evictions, expirations: written by the owner with opaque stores, read by anyone. */
  private final long[] tallies = new long[3];

  private FlowTable(int capacity, long tcpOpenIdleNanos, long tcpClosingIdleNanos, long datagramIdleNanos,
      int slots) {
    this.capacity = capacity;
    idleNanos[TCP_OPEN] = tcpOpenIdleNanos;
    idleNanos[TCP_CLOSING] = tcpClosingIdleNanos;
    idleNanos[DATAGRAM] = datagramIdleNanos;
    this.seed = new SplittableRandom().nextLong();
    srcHi = new long[capacity];
    srcLo = new long[capacity];
    dstHi = new long[capacity];
    dstLo = new long[capacity];
    ports = new int[capacity];
    protocol = new byte[capacity];
    hash = new int[capacity];
    slot = new int[capacity];
    generation = new int[capacity];
    lastSeen = new long[capacity];
    sharedAt = new long[capacity];
    idleClass = new byte[capacity];
    prev = new int[capacity];
    next = new int[capacity];
    for (int i = 0; i < capacity; i++) {
      next[i] = i + 1 < capacity ? i + 1 : NONE;
    }
    freeHead = 0;
    for (int c = 0; c < IDLE_CLASSES; c++) {
      head[c] = NONE;
      tail[c] = NONE;
    }
    index = new int[Integer.highestOneBit(capacity) << 2]; // a power of two >= 2 x capacity
    mask = index.length - 1;
    slotFlows = new int[slots];
    slotGeneration = new int[slots];
  }

  /**
   * A table of {@code capacity} flows (1 to {@link #MAX_CAPACITY}) with the idle timeouts of the three classes
   * (positive nanoseconds) and per-backend counts for slots {@code 0 <= slot < slots}.
   *
   * @throws IllegalArgumentException {@code field: value (expected: what)}
   */
  public static FlowTable create(int capacity, long tcpOpenIdleNanos, long tcpClosingIdleNanos,
      long datagramIdleNanos, int slots) {
    Validation.range("flowCapacity", capacity, 1, MAX_CAPACITY);
    positive("tcpIdle", tcpOpenIdleNanos);
    positive("tcpClosingIdle", tcpClosingIdleNanos);
    positive("udpIdle", datagramIdleNanos);
    Validation.range("slots", slots, 1, 1 << 20);
    return new FlowTable(capacity, tcpOpenIdleNanos, tcpClosingIdleNanos, datagramIdleNanos, slots);
  }

  private static void positive(String field, long nanos) {
    if (nanos <= 0) {
      throw Validation.invalid(field, nanos + "ns", "a positive duration");
    }
  }

  /** The idle class for a packet of {@code protocol}: {@link #TCP_OPEN} for TCP, {@link #DATAGRAM} otherwise. */
  public static int idleClassOf(int protocol) {
    return protocol == PacketView.PROTO_TCP ? TCP_OPEN : DATAGRAM;
  }

  private int hashOf(long sHi, long sLo, long dHi, long dLo, int portPair, int proto) {
    return OpenAddressing.hash(seed, sHi, sLo, dHi, dLo, portPair, proto);
  }


  /**
   * The entry of the parsed packet's flow (its 5-tuple; ports 0 when it has none), or {@link #ABSENT}. A flow idle
   * for at least its class's timeout at {@code nowNanos} is removed and reported absent.
   */
  public int find(PacketView packet, long nowNanos) {
    long sHi = packet.sourceHigh();
    long sLo = packet.sourceLow();
    long dHi = packet.destinationHigh();
    long dLo = packet.destinationLow();
    int portPair = portPair(packet);
    int proto = packet.protocol() & 0xff;
    int h = hashOf(sHi, sLo, dHi, dLo, portPair, proto);
    int i = h & mask;
    int e;
    while ((e = index[i] - 1) != NONE) {
      if (hash[e] == h && srcLo[e] == sLo && dstLo[e] == dLo && ports[e] == portPair && srcHi[e] == sHi
          && dstHi[e] == dHi && (protocol[e] & 0xff) == proto) {
        if (nowNanos - lastSeen[e] >= idleNanos[idleClass[e]]) {
          remove(e);
          expired(1);
          return ABSENT;
        }
        return e;
      }
      i = (i + 1) & mask;
    }
    return ABSENT;
  }

  private static int portPair(PacketView packet) {
    return packet.hasPorts() ? packet.sourcePort() << 16 | packet.destinationPort() : 0;
  }

  /**
   * Adds the flow of the parsed packet (which must be absent: call {@link #find} first) pointing at backend
   * {@code backendSlot} of {@code backendGeneration}, in idle class {@code idleClass}, seen at {@code nowNanos}.
   * Evicts the least recently seen flow when the table is full.
   *
   * @return the new entry
   */
  public int insert(PacketView packet, int backendSlot, int backendGeneration, int idleClass, long nowNanos) {
    if (freeHead == NONE) {
      evictOldest();
    }
    int e = freeHead;
    freeHead = next[e];
    srcHi[e] = packet.sourceHigh();
    srcLo[e] = packet.sourceLow();
    dstHi[e] = packet.destinationHigh();
    dstLo[e] = packet.destinationLow();
    ports[e] = portPair(packet);
    protocol[e] = (byte) packet.protocol();
    int h = hashOf(srcHi[e], srcLo[e], dstHi[e], dstLo[e], ports[e], packet.protocol() & 0xff);
    hash[e] = h;
    slot[e] = backendSlot;
    generation[e] = backendGeneration;
    lastSeen[e] = nowNanos;
    sharedAt[e] = nowNanos;
    this.idleClass[e] = (byte) idleClass;
    linkFirst(e, idleClass);
    int i = h & mask;
    while (index[i] != 0) {
      i = (i + 1) & mask;
    }
    index[i] = e + 1;
    countAdd(backendSlot, backendGeneration);
    LONGS.setOpaque(tallies, 0, tallies[0] + 1);
    return e;
  }

  /** Marks {@code entry} seen at {@code nowNanos}, in idle class {@code idleClass} (which may differ from before). */
  public void touch(int entry, int idleClass, long nowNanos) {
    lastSeen[entry] = nowNanos;
    unlink(entry);
    this.idleClass[entry] = (byte) idleClass;
    linkFirst(entry, idleClass);
  }

  /** Removes {@code entry} (a live entry from {@link #find} or {@link #insert}). */
  public void remove(int entry) {
    unindex(entry);
    unlink(entry);
    countRemove(slot[entry], generation[entry]);
    next[entry] = freeHead;
    freeHead = entry;
    LONGS.setOpaque(tallies, 0, tallies[0] - 1);
  }

  /**
   * Removes every flow idle for at least its class's timeout at {@code nowNanos}.
   *
   * @return the number removed
   */
  public int expire(long nowNanos) {
    int removed = 0;
    for (int c = 0; c < IDLE_CLASSES; c++) {
      long idle = idleNanos[c];
      int e;
      while ((e = tail[c]) != NONE && nowNanos - lastSeen[e] >= idle) {
        remove(e);
        removed++;
      }
    }
    if (removed > 0) {
      expired(removed);
    }
    return removed;
  }

  private void expired(int n) {
    LONGS.setOpaque(tallies, 2, tallies[2] + n);
  }

  private void evictOldest() {
    int oldest = NONE;
    for (int c = 0; c < IDLE_CLASSES; c++) {
      int t = tail[c];
      if (t != NONE && (oldest == NONE || lastSeen[t] - lastSeen[oldest] < 0)) {
        oldest = t;
      }
    }
    remove(oldest);
    LONGS.setOpaque(tallies, 1, tallies[1] + 1);
  }

  /** When {@code entry} was last offered to the peers (flow sync); its insertion time until {@link #shared}. */
  public long sharedAt(int entry) {
    return sharedAt[entry];
  }

  /** Records that {@code entry} was offered to the peers at {@code nowNanos}. */
  public void shared(int entry, long nowNanos) {
    sharedAt[entry] = nowNanos;
  }

  /** The backend slot {@code entry} points at. */
  public int slot(int entry) {
    return slot[entry];
  }

  /** The generation of the backend slot {@code entry} points at. */
  public int generation(int entry) {
    return generation[entry];
  }

  /** The idle class of {@code entry}. */
  public int idleClass(int entry) {
    return idleClass[entry];
  }

  /** The number of flows; any thread. */
  public int size() {
    return (int) (long) LONGS.getOpaque(tallies, 0);
  }

  /** The maximum number of flows. */
  public int capacity() {
    return capacity;
  }

  /** Flows evicted because the table was full; any thread. */
  public long evictions() {
    return (long) LONGS.getOpaque(tallies, 1);
  }

  /** Flows removed after their idle timeout; any thread. */
  public long expirations() {
    return (long) LONGS.getOpaque(tallies, 2);
  }

  /** The number of flows pointing at backend slot {@code backendSlot} of {@code backendGeneration}; any thread. */
  public int flowsOf(int backendSlot, int backendGeneration) {
    if ((int) INTS.getOpaque(slotGeneration, backendSlot) != backendGeneration) {
      return 0;
    }
    return (int) INTS.getOpaque(slotFlows, backendSlot);
  }

  /** The number of backend slots counted. */
  public int slots() {
    return slotFlows.length;
  }

  private void countAdd(int s, int gen) {
    if (slotGeneration[s] != gen) {
      INTS.setOpaque(slotFlows, s, 0);
      INTS.setOpaque(slotGeneration, s, gen);
    }
    INTS.setOpaque(slotFlows, s, slotFlows[s] + 1);
  }

  private void countRemove(int s, int gen) {
    if (slotGeneration[s] == gen) {
      INTS.setOpaque(slotFlows, s, slotFlows[s] - 1);
    }
  }

  private void linkFirst(int e, int c) {
    int h = head[c];
    prev[e] = NONE;
    next[e] = h;
    if (h != NONE) {
      prev[h] = e;
    } else {
      tail[c] = e;
    }
    head[c] = e;
  }

  private void unlink(int e) {
    int c = idleClass[e];
    int p = prev[e];
    int n = next[e];
    if (p != NONE) {
      next[p] = n;
    } else {
      head[c] = n;
    }
    if (n != NONE) {
      prev[n] = p;
    } else {
      tail[c] = p;
    }
  }

  private void unindex(int e) {
    OpenAddressing.unindex(index, hash, e);
  }

}
