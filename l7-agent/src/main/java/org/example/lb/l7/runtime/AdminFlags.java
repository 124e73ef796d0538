package org.example.lb.l7.runtime;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A server's administrative state bitmask, decoded. {@link #bits()} keeps the exact value
 * (including bits this client does not know), so the state round-trips.
 */
public record AdminFlags(int bits) {
  /** HAProxy's SRV_ADMF_MAINT mask: FMAINT | IMAINT | RMAINT. */
  static final int MAINT_MASK = 0x23;
  /** HAProxy's SRV_ADMF_DRAIN mask: FDRAIN | IDRAIN. */
  static final int DRAIN_MASK = 0x18;
  private static final int KNOWN_MASK = 0x7f;

  public static final AdminFlags NONE = new AdminFlags(0);

  public static AdminFlags valueOf(int bits) {
    return bits == 0 ? NONE : new AdminFlags(bits);
  }

  public static AdminFlags of(AdminFlag... flags) {
    int bits = 0;
    for (AdminFlag f : flags) {
      bits |= f.bit();
    }
    return valueOf(bits);
  }

  /** The known flags that are set. */
  public Set<AdminFlag> flags() {
    EnumSet<AdminFlag> set = EnumSet.noneOf(AdminFlag.class);
    for (AdminFlag f : AdminFlag.values()) {
      if ((bits & f.bit()) != 0) {
        set.add(f);
      }
    }
    return Collections.unmodifiableSet(set);
  }

  public boolean has(AdminFlag flag) {
    return (bits & flag.bit()) != 0;
  }

  /** Bits set that no {@link AdminFlag} names (0 on HAProxy 2.6). */
  public int unknownBits() {
    return bits & ~KNOWN_MASK;
  }

  /** In maintenance for any reason HAProxy counts (forced, inherited, resolution). */
  public boolean maintenance() {
    return (bits & MAINT_MASK) != 0;
  }

  /** Draining (forced or inherited). */
  public boolean drain() {
    return (bits & DRAIN_MASK) != 0;
  }

  /** The state as HAProxy summarises it: MAINT wins over DRAIN, otherwise READY. */
  public ServerAdminState effective() {
    if (maintenance()) {
      return ServerAdminState.MAINT;
    }
    return drain() ? ServerAdminState.DRAIN : ServerAdminState.READY;
  }

  @Override
  public String toString() {
    String hex = "0x" + Integer.toHexString(bits);
    int unknown = unknownBits();
    return hex + flags() + (unknown == 0 ? "" : "+0x" + Integer.toHexString(unknown));
  }
}
