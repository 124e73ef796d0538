package org.example.lb.l7.runtime;

/**
 * Bits of a server's administrative state ({@code srv_admin_state}, HAProxy 2.6's
 * {@code enum srv_admin}; values as in the 2.6 management guide and verified on 2.6.12).
 */
public enum AdminFlag {
  /** Forced into maintenance (CLI {@code state maint}, or {@code disabled} in the configuration). */
  FMAINT(0x01),
  /** Maintenance inherited from a tracked server. */
  IMAINT(0x02),
  /** Maintenance because of the configuration ({@code disabled}; HAProxy sets FMAINT with it). */
  CMAINT(0x04),
  /** Forced into drain (CLI {@code state drain}). */
  FDRAIN(0x08),
  /** Drain inherited from a tracked server. */
  IDRAIN(0x10),
  /** Maintenance because of an address resolution failure. */
  RMAINT(0x20),
  /** 2.6: the server's FQDN was set from the stats socket (renamed FQDN_CHANGED in later versions). */
  HMAINT(0x40);

  private final int bit;

  AdminFlag(int bit) {
    this.bit = bit;
  }

  public int bit() {
    return bit;
  }
}
