package org.example.lb.bgp.gobgp;

import java.util.Optional;

/**
 * A path in gobgpd's global RIB.
 *
 * @param route the route it carries
 * @param neighbor the peer it was learnt from; empty for a path originated on this node (through the API)
 * @param best whether gobgpd selected it as the best path of its prefix
 */
public record RibPath(Route route, Optional<String> neighbor, boolean best) {
  public boolean isLocal() {
    return neighbor.isEmpty();
  }
}
