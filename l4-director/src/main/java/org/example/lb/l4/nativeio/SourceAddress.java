package org.example.lb.l4.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.net.UnknownHostException;
import org.example.lb.common.config.Addresses;

/**
 * A reusable holder for the sender's address of a received packet, filled by {@link
 * RawSocket#receive(MemorySegment, SourceAddress)} without allocating. Create one per receiving thread;
 * {@link #matches(SockAddr)} compares without allocating (e.g. to accept tunnelled packets only from known
 * directors), {@link #toInetAddress()} allocates and is meant for logs and tests. Not thread-safe.
 */
public final class SourceAddress {
  private static final long STORAGE_SIZE = 28; // sockaddr_in6, the larger of the two
  private static final long IPV4_MAPPED_PREFIX = 0x0000_ffff_0000_0000L;
  private static final ValueLayout.OfLong BIG_ENDIAN_LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfInt BIG_ENDIAN_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final MemorySegment storage;
  private final MemorySegment length;

  /** An empty holder ({@link #isSet()} false until a receive fills it). */
  public SourceAddress() {
    Arena arena = Arena.ofAuto();
    this.storage = arena.allocate(STORAGE_SIZE, 8);
    this.length = arena.allocate(JAVA_INT);
  }

  /** Prepares for a recvfrom: clears the family and sets the buffer length. */
  void reset() {
    storage.set(JAVA_SHORT, 0, (short) 0);
    length.set(JAVA_INT, 0, (int) STORAGE_SIZE);
  }

  MemorySegment storage() {
    return storage;
  }

  MemorySegment lengthPointer() {
    return length;
  }

  private int family() {
    return storage.get(JAVA_SHORT, 0);
  }

  /** Whether a receive stored an IPv4 or IPv6 address. */
  public boolean isSet() {
    int family = family();
    return family == Libc.AF_INET || family == Libc.AF_INET6;
  }

  /** Whether the stored address is IPv6. */
  public boolean isIpv6() {
    return family() == Libc.AF_INET6;
  }

  /** Whether the stored address equals {@code address} (family and address bytes; IPv6 scope ignored). */
  public boolean matches(SockAddr address) {
    MemorySegment other = address.segment();
    if (other.get(JAVA_SHORT, 0) != storage.get(JAVA_SHORT, 0)) {
      return false;
    }
    long from = isIpv6() ? 8 : 4;
    long to = isIpv6() ? 24 : 8;
    return MemorySegment.mismatch(storage, from, to, other, from, to) == -1;
  }

  /**
   * High 64 bits of the stored address in the packet path's two-long representation (IPv4 as
   * {@code ::ffff:a.b.c.d}, as {@code PacketView} and {@code VipSet} key addresses): 0 for IPv4. Allocation-free.
   */
  public long high() {
    return isIpv6() ? storage.get(BIG_ENDIAN_LONG, 8) : 0;
  }

  /** Low 64 bits of the stored address ({@code 0x0000_ffff_xxxx_xxxx} for IPv4); see {@link #high()}. */
  public long low() {
    if (isIpv6()) {
      return storage.get(BIG_ENDIAN_LONG, 16);
    }
    return IPV4_MAPPED_PREFIX | (storage.get(BIG_ENDIAN_INT, 4) & 0xffff_ffffL);
  }

  /** The stored address as an {@link InetAddress} (allocates). */
  public InetAddress toInetAddress() {
    if (!isSet()) {
      throw new IllegalStateException("no address received yet");
    }
    byte[] bytes = isIpv6()
        ? storage.asSlice(8, 16).toArray(JAVA_BYTE)
        : storage.asSlice(4, 4).toArray(JAVA_BYTE);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
    }
  }

  @Override
  public String toString() {
    return isSet() ? Addresses.toText(toInetAddress()) : "(none)";
  }
}
