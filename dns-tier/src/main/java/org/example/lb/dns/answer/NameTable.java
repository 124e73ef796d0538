package org.example.lb.dns.answer;

import java.util.Arrays;
import java.util.Map;

/**
 * Lower-cased wire names → nodes: open addressing over arrays, built once, read by every worker without locks.
 * A lookup of a suffix of the question name allocates nothing.
 */
final class NameTable {
  private final byte[][] keys;
  private final Node[] nodes;
  private final int[] hashes;
  private final int mask;
  private final int size;

  NameTable(Map<Key, Node> entries) {
    int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2 - 1)) << 1;
    keys = new byte[capacity][];
    nodes = new Node[capacity];
    hashes = new int[capacity];
    mask = capacity - 1;
    size = entries.size();
    for (Map.Entry<Key, Node> e : entries.entrySet()) {
      byte[] k = e.getKey().lower();
      int h = hash(k, 0, k.length);
      int i = h & mask;
      while (keys[i] != null) {
        i = (i + 1) & mask;
      }
      keys[i] = k;
      nodes[i] = e.getValue();
      hashes[i] = h;
    }
  }

  /** A table key: a lower-cased wire name. */
  record Key(byte[] lower) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(lower, k.lower);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(lower);
    }
  }

  /** FNV-1a. */
  static int hash(byte[] b, int from, int length) {
    int h = 0x811C9DC5;
    for (int i = from, end = from + length; i < end; i++) {
      h = (h ^ (b[i] & 0xFF)) * 0x01000193;
    }
    return h ^ (h >>> 16);
  }

  /** The node of the name in {@code name[from, from + length)}, or null. */
  Node find(byte[] name, int from, int length) {
    int h = hash(name, from, length);
    for (int i = h & mask; keys[i] != null; i = (i + 1) & mask) {
      if (hashes[i] == h && Arrays.equals(keys[i], 0, keys[i].length, name, from, from + length)) {
        return nodes[i];
      }
    }
    return null;
  }

  int size() {
    return size;
  }
}
