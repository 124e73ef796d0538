package org.example.lb.l7.control;

/**
 * What the {@link Controller} needs from HAProxy for one server, so the state machine stays independent of the
 * wire protocol. Implemented over the runtime API by {@link RuntimeServerPort}. Every method may block briefly
 * and throws {@link HaproxyUnavailableException} when HAProxy cannot be reached.
 */
interface ServerPort {
  /** Administrative states the controller sets (HAProxy's {@code set server ... state}). */
  enum Admin { READY, DRAIN, MAINT }

  void setAdmin(String backend, String server, Admin admin);

  /** {@code set server ... agent up|down}: the agent's operational verdict. */
  void setAgentUp(String backend, String server, boolean up);

  /** {@code set server ... weight N%}, relative to the configured weight. */
  void setWeightPercent(String backend, String server, int percent);

  /** {@code set maxconn server ...}; 0 means unlimited. */
  void setMaxconn(String backend, String server, int maxconn);

  /** Enables or disables HAProxy's own agent check of the server. */
  void setAgentCheckEnabled(String backend, String server, boolean enabled);

  /** Current sessions on the server ({@code scur} of show stat). */
  int sessions(String backend, String server);

  /** HAProxy's current administrative view of the server, for reconciliation. */
  Admin admin(String backend, String server);

  /** Thrown when HAProxy's socket does not answer; the controller retries at the next reconciliation. */
  final class HaproxyUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HaproxyUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
