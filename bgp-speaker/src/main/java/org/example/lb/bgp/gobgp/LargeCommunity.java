package org.example.lb.bgp.gobgp;

import java.util.Comparator;

/**
 * A large BGP community {@code GLOBAL:LOCAL1:LOCAL2} (RFC 8092), each part 0..4294967295.
 *
 * @param globalAdmin the global administrator (an AS number)
 * @param localData1 the first local data part
 * @param localData2 the second local data part
 */
public record LargeCommunity(long globalAdmin, long localData1, long localData2) implements Comparable<LargeCommunity> {
  private static final long MAX = 0xFFFF_FFFFL;
  private static final Comparator<LargeCommunity> ORDER = Comparator.comparingLong(LargeCommunity::globalAdmin)
      .thenComparingLong(LargeCommunity::localData1).thenComparingLong(LargeCommunity::localData2);

  public LargeCommunity {
    if (globalAdmin < 0 || globalAdmin > MAX || localData1 < 0 || localData1 > MAX || localData2 < 0
        || localData2 > MAX) {
      throw new IllegalArgumentException(globalAdmin + ":" + localData1 + ":" + localData2
          + " (expected: GLOBAL:LOCAL1:LOCAL2, each 0..4294967295)");
    }
  }

  /** Parses {@code GLOBAL:LOCAL1:LOCAL2}. @throws IllegalArgumentException saying what was expected */
  public static LargeCommunity parse(String text) {
    if (!text.matches("\\d{1,10}:\\d{1,10}:\\d{1,10}")) {
      throw new IllegalArgumentException(text + " (expected: GLOBAL:LOCAL1:LOCAL2, each 0..4294967295)");
    }
    String[] p = text.split(":");
    return new LargeCommunity(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]));
  }

  @Override
  public int compareTo(LargeCommunity o) {
    return ORDER.compare(this, o);
  }

  @Override
  public String toString() {
    return globalAdmin + ":" + localData1 + ":" + localData2;
  }
}
