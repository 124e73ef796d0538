package org.example.lb.bgp.gobgp;

/**
 * A standard BGP community {@code ASN:VALUE} (RFC 1997), each half 0..65535.
 *
 * @param asn the high 16 bits
 * @param value the low 16 bits
 */
public record Community(int asn, int value) implements Comparable<Community> {
  public Community {
    if (asn < 0 || asn > 0xFFFF || value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException(asn + ":" + value + " (expected: ASN:VALUE, each 0..65535)");
    }
  }

  /** Parses {@code ASN:VALUE}. @throws IllegalArgumentException saying what was expected */
  public static Community parse(String text) {
    if (!text.matches("\\d{1,5}:\\d{1,5}")) {
      throw new IllegalArgumentException(text + " (expected: ASN:VALUE, each 0..65535)");
    }
    String[] parts = text.split(":");
    return new Community(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
  }

  /** The attribute's 32-bit value. */
  public long toUint32() {
    return ((long) asn << 16) | value;
  }

  static Community fromUint32(long v) {
    return new Community((int) (v >>> 16) & 0xFFFF, (int) v & 0xFFFF);
  }

  @Override
  public int compareTo(Community o) {
    return Long.compare(toUint32(), o.toUint32());
  }

  @Override
  public String toString() {
    return asn + ":" + value;
  }
}
