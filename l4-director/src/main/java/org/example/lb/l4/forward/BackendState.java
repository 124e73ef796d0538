package org.example.lb.l4.forward;

/**
 * What the director does with an LB7, as decided by its health checks (or an operator).
 *
 * <ul>
 *   <li>{@link #UP}: new flows are scheduled to it and its existing flows stay;</li>
 *   <li>{@link #DRAINING}: no new flows (no entries in the scheduling table), existing flows stay until they end or
 *       idle out: an LB7 whose {@code /healthcheck} says 503 but still accepts connections;</li>
 *   <li>{@link #DOWN}: dead; its flows are rescheduled to live LB7s (which reset them: the connection is lost
 *       anyway).</li>
 * </ul>
 */
public enum BackendState {
  UP,
  DRAINING,
  DOWN
}
