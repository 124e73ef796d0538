package org.example.lb.bgp.gobgp;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link Announcer} keeps gobgpd configured with, and how often it checks.
 *
 * @param global the BGP instance (started if gobgpd has none; a different running one is an error, never replaced)
 * @param peers the neighbours gobgpd is to have (it owns gobgpd's peer list: others are deleted)
 * @param resyncInterval how often gobgpd's state is compared with the wanted one when nothing happened; default 1 s
 * @param maxBackoff the longest wait between attempts while gobgpd fails; default 2 s
 */
public record AnnouncerSettings(GlobalSettings global, List<PeerSettings> peers, Duration resyncInterval,
    Duration maxBackoff) {
  public AnnouncerSettings {
    Objects.requireNonNull(global, "global");
    peers = List.copyOf(peers);
    if (new HashSet<>(peers.stream().map(PeerSettings::neighborAddress).toList()).size() != peers.size()) {
      throw new IllegalArgumentException("peers: " + peers.size() + " (expected: each neighbour address once)");
    }
    if (resyncInterval.isNegative() || resyncInterval.isZero() || maxBackoff.isNegative() || maxBackoff.isZero()) {
      throw new IllegalArgumentException("resyncInterval, maxBackoff: expected positive durations");
    }
  }

  public static AnnouncerSettings of(GlobalSettings global, List<PeerSettings> peers) {
    return new AnnouncerSettings(global, peers, Duration.ofSeconds(1), Duration.ofSeconds(2));
  }
}
