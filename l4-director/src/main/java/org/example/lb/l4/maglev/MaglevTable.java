package org.example.lb.l4.maglev;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.example.lb.common.config.Validation;

/**
 * An immutable Maglev lookup table (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer",
 * NSDI 2016, section 3.4), weighted.
 *
 * <p>Construction: backends are sorted by name ({@link String#compareTo}), so the table depends only on the set of
 * backends, never on the order they were given in. Each backend's permutation of the {@code size} slots is
 * {@code (offset + j × skip) mod size} with {@code offset = XXH64(utf8(name), seed 0) mod size} and
 * {@code skip = XXH64(utf8(name), seed 1) mod (size − 1) + 1} (unsigned remainders; {@code size} is prime, so every
 * permutation covers every slot). The population loop runs in rounds; in each round every backend adds its weight
 * to a credit and, when the credit reaches the largest weight in the set, takes one turn (claims the next free slot
 * of its permutation) and pays the largest weight back. With equal weights this is exactly the paper's loop (one
 * turn per backend per round), so each backend gets ⌊size/N⌋ or ⌈size/N⌉ entries; otherwise a backend's turns (and
 * entries) are proportional to its weight. Weight 0 gives no entries.
 *
 * <p>Lookup maps a 64-bit flow hash to a slot with the high half of the 128-bit product {@code flowHash × size}
 * (no division), so flow hashes must be well mixed in their high bits, as {@link FlowHash}'s are. Build off the
 * packet path and publish with an {@code AtomicReference}; lookups are allocation-free and O(1).
 */
public final class MaglevTable {
  /** The default table size, the paper's 65537 (prime; fits up to 655 backends). */
  public static final int DEFAULT_SIZE = 65537;
  /** The largest table size accepted. */
  public static final int MAX_SIZE = 1 << 24;
  /** The largest number of backends accepted (indices are stored as {@code short}). */
  public static final int MAX_BACKENDS = Short.MAX_VALUE;
  /** What {@link #lookup} returns when no backend has a positive weight. */
  public static final int NO_BACKEND = -1;

  static final long OFFSET_SEED = 0;
  static final long SKIP_SEED = 1;

  private final List<Backend> backends;
  private final String[] names;
  private final short[] slots;
  private final int[] entries;

  private MaglevTable(List<Backend> backends, short[] slots, int[] entries) {
    this.backends = backends;
    this.names = backends.stream().map(Backend::name).toArray(String[]::new);
    this.slots = slots;
    this.entries = entries;
  }

  /** Builds a table of {@link #DEFAULT_SIZE} slots. */
  public static MaglevTable build(List<Backend> backends) {
    return build(backends, DEFAULT_SIZE);
  }

  /**
   * Builds the table for {@code backends} (unique names, any order) with {@code size} slots: a prime greater than
   * the number of backends and at most {@link #MAX_SIZE}. Balance and disruption are best with M &gt; 100 × N (the
   * paper's recommendation, which the director's configuration enforces); the paper's own evaluation uses
   * M = 65537 with N = 1000, which this accepts.
   *
   * @throws IllegalArgumentException {@code field: value (expected: what)} for duplicate names, too many backends
   *     or a bad size
   */
  public static MaglevTable build(List<Backend> backends, int size) {
    Validation.required("backends", backends);
    List<Backend> sorted = new ArrayList<>(backends);
    sorted.sort(Comparator.comparing(Backend::name));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
        throw Validation.invalid("backends", "duplicate name \"" + sorted.get(i).name() + "\"", "unique names");
      }
    }
    int n = sorted.size();
    if (n > MAX_BACKENDS) {
      throw Validation.invalid("backends", n, "at most " + MAX_BACKENDS);
    }
    if (size > MAX_SIZE || size <= n || !isPrime(size)) {
      throw Validation.invalid("tableSize", size, "a prime > backends (" + n + "), at most " + MAX_SIZE
          + ", e.g. " + (n <= 655 ? DEFAULT_SIZE : smallestPrimeAbove(100 * n)));
    }
    return populate(List.copyOf(sorted), size);
  }

  private static MaglevTable populate(List<Backend> backends, int size) {
    int n = backends.size();
    int[] next = new int[n];
    int[] skip = new int[n];
    int[] weight = new int[n];
    long[] credit = new long[n];
    int maxWeight = 0;
    for (int i = 0; i < n; i++) {
      byte[] name = backends.get(i).name().getBytes(StandardCharsets.UTF_8);
      next[i] = (int) Long.remainderUnsigned(XxHash64.hash(name, 0, name.length, OFFSET_SEED), size);
      skip[i] = (int) Long.remainderUnsigned(XxHash64.hash(name, 0, name.length, SKIP_SEED), size - 1) + 1;
      weight[i] = backends.get(i).weight();
      maxWeight = Math.max(maxWeight, weight[i]);
    }
    short[] slots = new short[size];
    Arrays.fill(slots, (short) NO_BACKEND);
    int[] entries = new int[n];
    if (maxWeight > 0) {
      int filled = 0;
      while (filled < size) {
        for (int i = 0; i < n; i++) {
          credit[i] += weight[i];
          if (credit[i] < maxWeight) {
            continue;
          }
          credit[i] -= maxWeight;
          int c = next[i];
          while (slots[c] != NO_BACKEND) {
            c += skip[i];
            if (c >= size) {
              c -= size;
            }
          }
          slots[c] = (short) i;
          entries[i]++;
          c += skip[i];
          next[i] = c >= size ? c - size : c;
          if (++filled == size) {
            break;
          }
        }
      }
    }
    return new MaglevTable(backends, slots, entries);
  }

  /**
   * The index in {@link #backends()} of the backend for a flow, or {@link #NO_BACKEND} when no backend has a
   * positive weight. Allocation-free, O(1).
   */
  public int lookup(long flowHash) {
    return slots[(int) Math.unsignedMultiplyHigh(flowHash, slots.length)];
  }

  /** The backends sorted by name; {@link #lookup} returns indices into this list. */
  public List<Backend> backends() {
    return backends;
  }

  /** The number of slots. */
  public int size() {
    return slots.length;
  }

  /** The index of the backend named {@code name} in {@link #backends()}, or -1. */
  public int indexOf(String name) {
    int i = Arrays.binarySearch(names, name);
    return i >= 0 ? i : -1;
  }

  /**
   * How many slots the backend at {@code index} owns (its share of new flows is this / {@link #size()}).
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < backends().size()}
   */
  public int entriesOf(int index) {
    return entries[index];
  }

  /** How many slots the backend with {@code backend}'s name owns; 0 if it is not in the table. */
  public int entriesOf(Backend backend) {
    int i = indexOf(backend.name());
    return i < 0 ? 0 : entries[i];
  }

  /** The backend index in slot {@code slot} (or {@link #NO_BACKEND}); for tests and diagnostics. */
  int slot(int slot) {
    return slots[slot];
  }

  @Override
  public String toString() {
    return "MaglevTable[size=" + slots.length + ", backends=" + backends.size() + "]";
  }

  static boolean isPrime(int n) {
    if (n < 2) {
      return false;
    }
    if (n % 2 == 0) {
      return n == 2;
    }
    for (int d = 3; (long) d * d <= n; d += 2) {
      if (n % d == 0) {
        return false;
      }
    }
    return true;
  }

  private static int smallestPrimeAbove(int n) {
    int p = n + 1;
    while (!isPrime(p)) {
      p++;
    }
    return p;
  }
}
