package org.example.lb.l4.flow;

/**
 * What {@link FlowTable} and {@link PeerFlows} share: the seeded 5-tuple hash and the index of entries (open
 * addressing with linear probing over a power-of-two {@code int[]} holding entry + 1, 0 for empty).
 */
final class OpenAddressing {
  private OpenAddressing() {}

  /** The 5-tuple's hash under {@code seed} (a table's own random seed, so clients cannot choose collisions). */
  static int hash(long seed, long sHi, long sLo, long dHi, long dLo, int portPair, int proto) {
    long h = (seed ^ sHi) * 0x9e37_79b9_7f4a_7c15L;
    h = (h ^ sLo) * 0xbf58_476d_1ce4_e5b9L;
    h = (h ^ dHi) * 0x94d0_49bb_1331_11ebL;
    h = (h ^ dLo) * 0x9e37_79b9_7f4a_7c15L;
    h = (h ^ ((long) portPair << 8 | proto)) * 0xbf58_476d_1ce4_e5b9L;
    h ^= h >>> 31;
    return (int) (h ^ h >>> 32);
  }

  /**
   * Removes entry {@code e} (whose hash is {@code hash[e]}) from {@code index} by backward shift: later members of its
   * probe run move into the hole when their home allows it, so no tombstones are left.
   */
  static void unindex(int[] index, int[] hash, int e) {
    int mask = index.length - 1;
    int i = hash[e] & mask;
    while (index[i] != e + 1) {
      i = (i + 1) & mask;
    }
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      int other = index[j] - 1;
      if (other < 0) {
        break;
      }
      int home = hash[other] & mask;
      boolean homeInHoleToJ = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!homeInHoleToJ) {
        index[i] = index[j];
        i = j;
      }
    }
    index[i] = 0;
  }
}
