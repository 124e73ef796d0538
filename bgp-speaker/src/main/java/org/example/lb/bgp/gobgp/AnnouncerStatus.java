package org.example.lb.bgp.gobgp;

import java.util.List;
import java.util.Optional;

/**
 * An {@link Announcer}'s view of gobgpd after its last attempt.
 *
 * @param connected whether gobgpd answered the last attempt
 * @param inSync whether gobgpd held exactly the wanted peers and routes after it
 * @param lastError why the last attempt failed, if it did (one line)
 * @param peers the sessions gobgpd reported
 * @param announced the routes gobgpd holds from this node (its locally originated paths)
 */
public record AnnouncerStatus(boolean connected, boolean inSync, Optional<String> lastError, List<PeerStatus> peers,
    List<Route> announced) {
  public AnnouncerStatus {
    peers = List.copyOf(peers);
    announced = List.copyOf(announced);
  }
}
