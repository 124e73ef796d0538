package org.example.lb.l4.flow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.example.lb.common.config.Validation;
import org.example.lb.l4.packet.PacketView;

/**
 * A bounded single-producer, single-consumer queue of flows to tell the other directors about: the worker that owns
 * it offers a flow (5-tuple, backend slot and generation) when it pins one, the flow-sync sender drains it. Preallocated
 * arrays; {@link #offer} and {@link #drain} allocate nothing and never block: a flow offered to a full outbox is
 * counted in {@link #dropped()} and left out (the next refresh of a still active flow offers it again).
 *
 * <p>Threading: {@link #offer} from the owner (producer) thread only, {@link #drain} from one consumer thread only;
 * {@link #dropped()} and {@link #offered()} from any thread.
 */
public final class FlowOutbox {
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int HEAD = 8; // consumer position (padded away from the producer's)
  private static final int TAIL = 16; // producer position
  private static final int DROPPED = 24;
  private static final int OFFERED = 32;

  private final int mask;
  private final long[] srcHi;
  private final long[] srcLo;
  private final long[] dstHi;
  private final long[] dstLo;
  private final int[] ports;
  private final byte[] protocol;
  private final int[] slot;
  private final int[] generation;
  private final long[] positions = new long[40];
  private long headSeen; // producer's cached view of the consumer position

  private FlowOutbox(int capacity) {
    mask = capacity - 1;
    srcHi = new long[capacity];
    srcLo = new long[capacity];
    dstHi = new long[capacity];
    dstLo = new long[capacity];
    ports = new int[capacity];
    protocol = new byte[capacity];
    slot = new int[capacity];
    generation = new int[capacity];
  }

  /**
   * An outbox holding up to {@code capacity} flows (a power of two, 16 to 2^20).
   *
   * @throws IllegalArgumentException {@code capacity: value (expected: …)}
   */
  public static FlowOutbox create(int capacity) {
    Validation.range("capacity", capacity, 16, 1 << 20);
    if (Integer.bitCount(capacity) != 1) {
      throw Validation.invalid("capacity", capacity, "a power of two");
    }
    return new FlowOutbox(capacity);
  }

  /** Offers the parsed packet's flow, pinned to backend {@code backendSlot} of {@code backendGeneration}. */
  public boolean offer(PacketView packet, int backendSlot, int backendGeneration) {
    long tail = positions[TAIL];
    if (tail - headSeen > mask) {
      headSeen = (long) LONGS.getAcquire(positions, HEAD);
      if (tail - headSeen > mask) {
        LONGS.setOpaque(positions, DROPPED, positions[DROPPED] + 1);
        return false;
      }
    }
    int i = (int) tail & mask;
    srcHi[i] = packet.sourceHigh();
    srcLo[i] = packet.sourceLow();
    dstHi[i] = packet.destinationHigh();
    dstLo[i] = packet.destinationLow();
    ports[i] = packet.hasPorts() ? packet.sourcePort() << 16 | packet.destinationPort() : 0;
    protocol[i] = (byte) packet.protocol();
    slot[i] = backendSlot;
    generation[i] = backendGeneration;
    LONGS.setOpaque(positions, OFFERED, positions[OFFERED] + 1);
    LONGS.setRelease(positions, TAIL, tail + 1);
    return true;
  }

  /** Receives each drained flow. */
  @FunctionalInterface
  public interface Sink {
    /** One flow: addresses as in {@link PacketView} (IPv4 mapped), ports as source << 16 | destination. */
    void flow(long srcHi, long srcLo, long dstHi, long dstLo, int portPair, int protocol, int backendSlot,
        int backendGeneration);
  }

  /** Hands every flow offered so far to {@code sink}, oldest first; returns how many. Consumer thread only. */
  public int drain(Sink sink) {
    long head = positions[HEAD];
    long tail = (long) LONGS.getAcquire(positions, TAIL);
    for (long p = head; p < tail; p++) {
      int i = (int) p & mask;
      sink.flow(srcHi[i], srcLo[i], dstHi[i], dstLo[i], ports[i], protocol[i] & 0xff, slot[i], generation[i]);
    }
    LONGS.setRelease(positions, HEAD, tail);
    return (int) (tail - head);
  }

  /** Flows left out because the outbox was full; any thread. */
  public long dropped() {
    return (long) LONGS.getOpaque(positions, DROPPED);
  }

  /** Flows offered and queued; any thread. */
  public long offered() {
    return (long) LONGS.getOpaque(positions, OFFERED);
  }
}
