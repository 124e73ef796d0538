package org.example.lb.bgp.gobgp;

/**
 * A BGP session as gobgpd last reported it.
 *
 * @param neighborAddress the neighbour
 * @param peerAsn its AS
 * @param state the session state
 * @param accepted prefixes accepted from it (both families)
 * @param advertised prefixes advertised to it (both families)
 */
public record PeerStatus(String neighborAddress, long peerAsn, SessionState state, long accepted, long advertised) {
  public boolean established() {
    return state == SessionState.ESTABLISHED;
  }
}
