package org.example.lb.bgp.gobgp;

/** A BGP session's finite-state-machine state (RFC 4271 §8.2.2), as gobgpd reports it. */
public enum SessionState {
  UNKNOWN, IDLE, CONNECT, ACTIVE, OPENSENT, OPENCONFIRM, ESTABLISHED;

  /** The state for gobgpd's code; an unknown code is {@link #UNKNOWN}. */
  public static SessionState valueOf(int code) {
    SessionState[] all = values();
    return code >= 0 && code < all.length ? all[code] : UNKNOWN;
  }
}
