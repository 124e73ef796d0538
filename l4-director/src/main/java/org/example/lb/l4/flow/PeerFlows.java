package org.example.lb.l4.flow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.SplittableRandom;
import java.util.concurrent.locks.StampedLock;
import org.example.lb.common.config.Validation;
import org.example.lb.l4.packet.PacketView;

/**
 * The flows other directors pinned, as they told this one (flow sync): 5-tuple → backend slot and generation (in
 * this director's {@code ForwardingState}), each until an expiry time. A worker that gets a mid-flow packet of a flow
 * it does not know asks here before falling back to the consistent mid-flow table, so a flow that ECMP moves to this
 * director keeps the LB7 another director chose for it, even when the LB7 set changed since.
 *
 * <p>Open addressing with linear probing over preallocated arrays (at most half full), backward-shift deletion; the
 * hash is seeded at random per table. {@link #put} and {@link #expire} allocate nothing; {@link #find} allocates and
 * locks nothing.
 *
 * <p>Threading: one writer thread calls {@link #put} and {@link #expire}; any number of reader threads (the workers)
 * call {@link #find}, which reads optimistically under a {@link StampedLock} stamp and retries when a write overlapped
 * (a write changes one entry, so retries are rare and short); after {@value #OPTIMISTIC_TRIES} overlapped tries it
 * reports the flow absent rather than wait. {@link #size()} and the tallies are readable from any thread.
 */
public final class PeerFlows {
  /** What {@link #find} returns for an absent (or expired) flow. */
  public static final long ABSENT = -1L;
  /** The largest capacity accepted. */
  public static final int MAX_CAPACITY = 1 << 24;
  static final int OPTIMISTIC_TRIES = 4;

  private static final int NONE = -1;
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private final StampedLock lock = new StampedLock();
  private final int capacity;
  private final long seed = new SplittableRandom().nextLong();
  private final long[] srcHi;
  private final long[] srcLo;
  private final long[] dstHi;
  private final long[] dstLo;
  private final int[] ports;
  private final byte[] protocol;
  private final int[] hash;
  private final int[] slot;
  private final int[] generation;
  private final long[] expires;
  private final boolean[] used;
  private final int[] nextFree;
  private int freeHead;
  private final int[] index;
  private final int mask;
  /** size, rejected (table full), expired: written by the writer with opaque stores. */
  private final long[] tallies = new long[3];

  private PeerFlows(int capacity) {
    this.capacity = capacity;
    srcHi = new long[capacity];
    srcLo = new long[capacity];
    dstHi = new long[capacity];
    dstLo = new long[capacity];
    ports = new int[capacity];
    protocol = new byte[capacity];
    hash = new int[capacity];
    slot = new int[capacity];
    generation = new int[capacity];
    expires = new long[capacity];
    used = new boolean[capacity];
    nextFree = new int[capacity];
    for (int i = 0; i < capacity; i++) {
      nextFree[i] = i + 1 < capacity ? i + 1 : NONE;
    }
    index = new int[Integer.highestOneBit(capacity) << 2];
    mask = index.length - 1;
  }

  /**
   * A table of up to {@code capacity} peer flows (1 to {@link #MAX_CAPACITY}).
   *
   * @throws IllegalArgumentException {@code capacity: value (expected: …)}
   */
  public static PeerFlows create(int capacity) {
    return new PeerFlows(Validation.range("capacity", capacity, 1, MAX_CAPACITY));
  }

  private int hashOf(long sHi, long sLo, long dHi, long dLo, int portPair, int proto) {
    return OpenAddressing.hash(seed, sHi, sLo, dHi, dLo, portPair, proto);
  }


  /**
   * The backend of the parsed packet's flow as {@code slot << 32 | generation}, or {@link #ABSENT} when no peer
   * told of it, its record expired at {@code nowNanos}, or writes kept overlapping the lookup. Any thread.
   */
  public long find(PacketView packet, long nowNanos) {
    long sHi = packet.sourceHigh();
    long sLo = packet.sourceLow();
    long dHi = packet.destinationHigh();
    long dLo = packet.destinationLow();
    int portPair = packet.hasPorts() ? packet.sourcePort() << 16 | packet.destinationPort() : 0;
    int proto = packet.protocol() & 0xff;
    int h = hashOf(sHi, sLo, dHi, dLo, portPair, proto);
    for (int attempt = 0; attempt < OPTIMISTIC_TRIES; attempt++) {
      long stamp = lock.tryOptimisticRead();
      if (stamp == 0) {
        Thread.onSpinWait();
        continue;
      }
      long found = ABSENT;
      int i = h & mask;
      for (int probes = 0; probes <= mask; probes++) {
        int e = index[i] - 1;
        if (e == NONE) {
          break;
        }
        if (hash[e] == h && srcLo[e] == sLo && dstLo[e] == dLo && ports[e] == portPair && srcHi[e] == sHi
            && dstHi[e] == dHi && (protocol[e] & 0xff) == proto) {
          found = nowNanos - expires[e] < 0 ? (long) slot[e] << 32 | (generation[e] & 0xffff_ffffL) : ABSENT;
          break;
        }
        i = (i + 1) & mask;
      }
      if (lock.validate(stamp)) {
        return found;
      }
    }
    return ABSENT;
  }

  /**
   * Records (or renews) a flow a peer pinned to backend {@code backendSlot} of {@code backendGeneration}, valid until
   * {@code expiresNanos}. Writer thread only.
   *
   * @return false when the table is full of unexpired flows (counted in {@link #rejected()})
   */
  public boolean put(long sHi, long sLo, long dHi, long dLo, int portPair, int proto, int backendSlot,
      int backendGeneration, long expiresNanos) {
    int h = hashOf(sHi, sLo, dHi, dLo, portPair, proto);
    int i = h & mask;
    int e;
    while ((e = index[i] - 1) != NONE) {
      if (hash[e] == h && srcLo[e] == sLo && dstLo[e] == dLo && ports[e] == portPair && srcHi[e] == sHi
          && dstHi[e] == dHi && (protocol[e] & 0xff) == proto) {
        long stamp = lock.writeLock();
        slot[e] = backendSlot;
        generation[e] = backendGeneration;
        expires[e] = expiresNanos;
        lock.unlockWrite(stamp);
        return true;
      }
      i = (i + 1) & mask;
    }
    if (freeHead == NONE) {
      LONGS.setOpaque(tallies, 1, tallies[1] + 1);
      return false;
    }
    long stamp = lock.writeLock();
    e = freeHead;
    freeHead = nextFree[e];
    srcHi[e] = sHi;
    srcLo[e] = sLo;
    dstHi[e] = dHi;
    dstLo[e] = dLo;
    ports[e] = portPair;
    protocol[e] = (byte) proto;
    hash[e] = h;
    slot[e] = backendSlot;
    generation[e] = backendGeneration;
    expires[e] = expiresNanos;
    used[e] = true;
    index[i] = e + 1;
    lock.unlockWrite(stamp);
    LONGS.setOpaque(tallies, 0, tallies[0] + 1);
    return true;
  }

  /**
   * Removes every flow whose record expired at {@code nowNanos} (a full scan: call it about once a second). Writer
   * thread only.
   *
   * @return the number removed
   */
  public int expire(long nowNanos) {
    int removed = 0;
    for (int e = 0; e < capacity; e++) {
      if (used[e] && nowNanos - expires[e] >= 0) {
        long stamp = lock.writeLock();
        unindex(e);
        used[e] = false;
        nextFree[e] = freeHead;
        freeHead = e;
        lock.unlockWrite(stamp);
        removed++;
      }
    }
    if (removed > 0) {
      LONGS.setOpaque(tallies, 0, tallies[0] - removed);
      LONGS.setOpaque(tallies, 2, tallies[2] + removed);
    }
    return removed;
  }

  private void unindex(int e) {
    OpenAddressing.unindex(index, hash, e);
  }

  /** The number of flows held (expired ones included until {@link #expire} runs); any thread. */
  public int size() {
    return (int) (long) LONGS.getOpaque(tallies, 0);
  }

  /** The maximum number of flows. */
  public int capacity() {
    return capacity;
  }

  /** Records left out because the table was full; any thread. */
  public long rejected() {
    return (long) LONGS.getOpaque(tallies, 1);
  }

  /** Records removed after they expired; any thread. */
  public long expired() {
    return (long) LONGS.getOpaque(tallies, 2);
  }
}
