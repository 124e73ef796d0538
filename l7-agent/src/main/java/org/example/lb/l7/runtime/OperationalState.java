package org.example.lb.l7.runtime;

/**
 * A server's operational state ({@code srv_op_state} of {@code show servers state}, HAProxy's
 * {@code enum srv_state}): 0 STOPPED, 1 STARTING, 2 RUNNING, 3 STOPPING. Only STOPPED means down.
 * Unknown codes round-trip.
 */
public record OperationalState(int code) {
  public static final OperationalState STOPPED = new OperationalState(0);
  public static final OperationalState STARTING = new OperationalState(1);
  public static final OperationalState RUNNING = new OperationalState(2);
  public static final OperationalState STOPPING = new OperationalState(3);

  private static final OperationalState[] KNOWN = {STOPPED, STARTING, RUNNING, STOPPING};
  private static final String[] NAMES = {"STOPPED", "STARTING", "RUNNING", "STOPPING"};

  public static OperationalState valueOf(int code) {
    return code >= 0 && code < KNOWN.length ? KNOWN[code] : new OperationalState(code);
  }

  /** HAProxy's rule: every state but STOPPED is up (STOPPING is up but takes no new sessions). */
  public boolean isUp() {
    return code != STOPPED.code;
  }

  public String name() {
    return code >= 0 && code < NAMES.length ? NAMES[code] : "UNKNOWN(" + code + ")";
  }

  @Override
  public String toString() {
    return name();
  }
}
