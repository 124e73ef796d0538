package org.example.lb.l4.maglev;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Flow hashes for {@link MaglevTable#lookup}: allocation-free, and the same on every director (fixed seed
 * {@link #SEED}), so any director sends a flow to the same backend.
 *
 * <p>Definition (so other implementations can match it): XXH64 with seed {@link #SEED} over 64-bit lanes, each
 * serialized little-endian. Addresses enter as their network-order value ({@code 192.0.2.1} is the int
 * {@code 0xC0000201}; an IPv6 address is the longs {@code hi}, {@code lo} of its first and last 8 bytes), ports as
 * 0-65535 and the protocol as 0-255.
 * <ul>
 *   <li>IPv4 five-tuple: {@code (src << 32 | dst)}, {@code (srcPort << 24 | dstPort << 8 | protocol)} (16 bytes);
 *   <li>IPv6 five-tuple: {@code srcHi, srcLo, dstHi, dstLo, (srcPort << 24 | dstPort << 8 | protocol)} (40 bytes);
 *   <li>IPv4 source only: {@code src} (8 bytes); IPv6 source only: {@code srcHi, srcLo} (16 bytes).
 * </ul>
 */
public final class FlowHash {
  /** The seed of every flow hash: the ASCII bytes of "L4Direct". */
  public static final long SEED = 0x4C34446972656374L;

  private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private FlowHash() {}

  /**
   * The five-tuple hash over raw addresses: {@code addressLength} (4 or 16) bytes at {@code srcOffset} of
   * {@code src} and at {@code dstOffset} of {@code dst} (they may be the same packet buffer).
   *
   * @throws IllegalArgumentException if {@code addressLength} is neither 4 nor 16
   */
  public static long fiveTuple(byte[] src, int srcOffset, byte[] dst, int dstOffset, int addressLength,
      int srcPort, int dstPort, int protocol) {
    return switch (addressLength) {
      case 4 -> fiveTupleV4((int) INT_BE.get(src, srcOffset), (int) INT_BE.get(dst, dstOffset),
          srcPort, dstPort, protocol);
      case 16 -> fiveTupleV6((long) LONG_BE.get(src, srcOffset), (long) LONG_BE.get(src, srcOffset + 8),
          (long) LONG_BE.get(dst, dstOffset), (long) LONG_BE.get(dst, dstOffset + 8), srcPort, dstPort, protocol);
      default -> throw badLength(addressLength);
    };
  }

  /** The IPv4 five-tuple hash; addresses as network-order ints. */
  public static long fiveTupleV4(int src, int dst, int srcPort, int dstPort, int protocol) {
    return XxHash64.hash((long) src << 32 | (dst & 0xFFFFFFFFL), portsAndProtocol(srcPort, dstPort, protocol), SEED);
  }

  /** The IPv6 five-tuple hash; addresses as network-order halves. */
  public static long fiveTupleV6(long srcHi, long srcLo, long dstHi, long dstLo, int srcPort, int dstPort,
      int protocol) {
    return XxHash64.hash(srcHi, srcLo, dstHi, dstLo, portsAndProtocol(srcPort, dstPort, protocol), SEED);
  }

  /**
   * The source-address-only hash (client affinity, and fragments without ports) over {@code addressLength} (4 or
   * 16) bytes at {@code offset} of {@code src}.
   *
   * @throws IllegalArgumentException if {@code addressLength} is neither 4 nor 16
   */
  public static long sourceOnly(byte[] src, int offset, int addressLength) {
    return switch (addressLength) {
      case 4 -> sourceOnlyV4((int) INT_BE.get(src, offset));
      case 16 -> sourceOnlyV6((long) LONG_BE.get(src, offset), (long) LONG_BE.get(src, offset + 8));
      default -> throw badLength(addressLength);
    };
  }

  /** The IPv4 source-only hash; the address as a network-order int. */
  public static long sourceOnlyV4(int src) {
    return XxHash64.hash(src & 0xFFFFFFFFL, SEED);
  }

  /** The IPv6 source-only hash; the address as network-order halves. */
  public static long sourceOnlyV6(long srcHi, long srcLo) {
    return XxHash64.hash(srcHi, srcLo, SEED);
  }

  private static long portsAndProtocol(int srcPort, int dstPort, int protocol) {
    return (long) (srcPort & 0xFFFF) << 24 | (long) (dstPort & 0xFFFF) << 8 | (protocol & 0xFF);
  }

  private static IllegalArgumentException badLength(int addressLength) {
    return new IllegalArgumentException("addressLength: " + addressLength + " (expected: 4 or 16)");
  }
}
