package org.example.lb.l7.runtime;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A check state bitmask, decoded. {@link #bits()} keeps the exact value, unknown bits included.
 * Seen on 2.6.12: 6 (CONFIGURED|ENABLED) for a running health check, 2 after
 * {@code disable health}, 14 while in maintenance (PAUSED), 22 for an enabled agent check.
 */
public record CheckFlags(int bits) {
  private static final int KNOWN_MASK = 0x03ff;

  public static final CheckFlags NONE = new CheckFlags(0);

  public static CheckFlags valueOf(int bits) {
    return bits == 0 ? NONE : new CheckFlags(bits);
  }

  public static CheckFlags of(CheckFlag... flags) {
    int bits = 0;
    for (CheckFlag f : flags) {
      bits |= f.bit();
    }
    return valueOf(bits);
  }

  public Set<CheckFlag> flags() {
    EnumSet<CheckFlag> set = EnumSet.noneOf(CheckFlag.class);
    for (CheckFlag f : CheckFlag.values()) {
      if ((bits & f.bit()) != 0) {
        set.add(f);
      }
    }
    return Collections.unmodifiableSet(set);
  }

  public boolean has(CheckFlag flag) {
    return (bits & flag.bit()) != 0;
  }

  /** Configured for this server (a {@code check} / {@code agent-check} keyword). */
  public boolean configured() {
    return has(CheckFlag.CONFIGURED);
  }

  /** Configured and administratively enabled. */
  public boolean enabled() {
    return has(CheckFlag.CONFIGURED) && has(CheckFlag.ENABLED);
  }

  public int unknownBits() {
    return bits & ~KNOWN_MASK;
  }

  @Override
  public String toString() {
    int unknown = unknownBits();
    return "0x" + Integer.toHexString(bits) + flags() + (unknown == 0 ? "" : "+0x" + Integer.toHexString(unknown));
  }
}
