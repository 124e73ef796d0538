package org.example.lb.l4.maglev;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * XXH64 (Yann Collet's xxHash, 64-bit variant, as specified in xxhash_spec.md), implemented here so that every
 * director on every JVM and machine computes the same values. Besides the general byte-array form there are
 * allocation-free forms over 1, 2 and 5 little-endian 64-bit lanes; each equals {@link #hash(byte[], int, int, long)}
 * over the lanes' little-endian bytes (8, 16 and 40 bytes).
 */
final class XxHash64 {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private XxHash64() {}

  /** XXH64 of {@code length} bytes of {@code input} from {@code offset}. */
  static long hash(byte[] input, int offset, int length, long seed) {
    int p = offset;
    int end = offset + length;
    long h;
    if (length >= 32) {
      long v1 = seed + P1 + P2;
      long v2 = seed + P2;
      long v3 = seed;
      long v4 = seed - P1;
      int limit = end - 32;
      do {
        v1 = round(v1, (long) LONG_LE.get(input, p));
        v2 = round(v2, (long) LONG_LE.get(input, p + 8));
        v3 = round(v3, (long) LONG_LE.get(input, p + 16));
        v4 = round(v4, (long) LONG_LE.get(input, p + 24));
        p += 32;
      } while (p <= limit);
      h = converge(v1, v2, v3, v4);
    } else {
      h = seed + P5;
    }
    h += length;
    while (p + 8 <= end) {
      h = lane(h, (long) LONG_LE.get(input, p));
      p += 8;
    }
    if (p + 4 <= end) {
      h ^= ((int) INT_LE.get(input, p) & 0xFFFFFFFFL) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      p += 4;
    }
    while (p < end) {
      h ^= (input[p] & 0xFFL) * P5;
      h = Long.rotateLeft(h, 11) * P1;
      p++;
    }
    return avalanche(h);
  }

  /** XXH64 of the 8 little-endian bytes of {@code a}. */
  static long hash(long a, long seed) {
    return avalanche(lane(seed + P5 + 8, a));
  }

  /** XXH64 of the 16 little-endian bytes of {@code a}, {@code b}. */
  static long hash(long a, long b, long seed) {
    return avalanche(lane(lane(seed + P5 + 16, a), b));
  }

  /** XXH64 of the 40 little-endian bytes of {@code a} to {@code e}. */
  static long hash(long a, long b, long c, long d, long e, long seed) {
    long h = converge(round(seed + P1 + P2, a), round(seed + P2, b), round(seed, c), round(seed - P1, d));
    return avalanche(lane(h + 40, e));
  }

  private static long round(long acc, long input) {
    return Long.rotateLeft(acc + input * P2, 31) * P1;
  }

  private static long lane(long h, long input) {
    h ^= round(0, input);
    return Long.rotateLeft(h, 27) * P1 + P4;
  }

  private static long converge(long v1, long v2, long v3, long v4) {
    long h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
    h = merge(h, v1);
    h = merge(h, v2);
    h = merge(h, v3);
    return merge(h, v4);
  }

  private static long merge(long h, long v) {
    h ^= round(0, v);
    return h * P1 + P4;
  }

  private static long avalanche(long h) {
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }
}
