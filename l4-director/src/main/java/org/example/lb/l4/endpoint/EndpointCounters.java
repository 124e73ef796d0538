package org.example.lb.l4.endpoint;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The endpoint's packet counters other than verdicts: packets received per socket, delivered to the device, and
 * errors. Single writer (the worker) with opaque writes, any reader with opaque reads, as
 * {@link org.example.lb.l4.packet.DropCounters}: no lock, no allocation.
 */
final class EndpointCounters {
  static final int DELIVERED = 0;
  static final int TUN_WRITE_ERRORS = 1;
  static final int RECEIVE_ERRORS = 2;
  static final int LOOP_ERRORS = 3;
  private static final int FIRST_SOCKET = 4;

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);

  private final long[] counts;

  EndpointCounters(int sockets) {
    counts = new long[FIRST_SOCKET + sockets];
  }

  /** Adds one to {@code slot} ({@link #DELIVERED}...); owner thread only. */
  void increment(int slot) {
    SLOTS.setOpaque(counts, slot, counts[slot] + 1);
  }

  /** Adds one to the packets received on socket {@code index}; owner thread only. */
  void received(int index) {
    increment(FIRST_SOCKET + index);
  }

  long get(int slot) {
    return (long) SLOTS.getOpaque(counts, slot);
  }

  long receivedOn(int index) {
    return get(FIRST_SOCKET + index);
  }

  long receivedTotal() {
    long sum = 0;
    for (int i = FIRST_SOCKET; i < counts.length; i++) {
      sum += (long) SLOTS.getOpaque(counts, i);
    }
    return sum;
  }
}
