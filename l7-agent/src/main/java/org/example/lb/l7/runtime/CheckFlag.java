package org.example.lb.l7.runtime;

/**
 * Bits of a health or agent check's state ({@code srv_check_state} / {@code srv_agent_state},
 * HAProxy 2.6's {@code CHK_ST_*}). The first five are documented in the 2.6 management guide; the
 * others are internal but may appear in the dump.
 */
public enum CheckFlag {
  /** A check is currently running. */
  INPROGRESS(0x0001),
  /** The check is configured and may be enabled. */
  CONFIGURED(0x0002),
  /** The check is administratively enabled (CLI {@code enable health/agent}). */
  ENABLED(0x0004),
  /** Checks are paused because of maintenance (health only). */
  PAUSED(0x0008),
  /** This is an agent check. */
  AGENT(0x0010),
  PORT_MISS(0x0020),
  IN_ALLOC(0x0040),
  OUT_ALLOC(0x0080),
  CLOSE_CONN(0x0100),
  PURGE(0x0200);

  private final int bit;

  CheckFlag(int bit) {
    this.bit = bit;
  }

  public int bit() {
    return bit;
  }
}
