package org.example.lb.bgp.gobgp;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps one gobgpd holding what this node wants: its BGP instance, its peers and one locally originated route per
 * prefix. Calls only record what is wanted and return at once; a single thread then makes gobgpd equal to it, reading
 * gobgpd's state back each time (GetBgp, ListPeer, ListPath) so that whatever gobgpd lost or kept — a gobgpd
 * restarted empty, routes left by an earlier speaker process, a peer configured by hand — converges to the wanted
 * state. It does so at once after each change, on every peer event gobgpd streams (WatchEvent), every
 * {@link AnnouncerSettings#resyncInterval()}, and while gobgpd fails with a backoff up to
 * {@link AnnouncerSettings#maxBackoff()}.
 *
 * <p>It owns gobgpd's peer list and its locally originated routes: peers it was not given and local routes for
 * prefixes it was not given are deleted, each route by its path (never a DeletePath without one, which would withdraw
 * everything). Until the first {@link #announce}, {@link #withdraw} or {@link #withdrawAll} it leaves gobgpd's local
 * routes as they are, so a speaker restarted while gobgpd runs adopts them instead of withdrawing what it is about to
 * announce again. It never replaces a running BGP instance with a different AS or router id: that is reported as an
 * error and needs gobgpd restarted.
 */
public interface Announcer extends AutoCloseable {

  /** Starts an announcer with no routes wanted yet; its first attempt runs at once. */
  static Announcer start(GobgpClient client, AnnouncerSettings settings) {
    return new ReconcilingAnnouncer(client, settings);
  }

  /** Wants {@code route} announced, replacing any route wanted for its prefix. */
  void announce(Route route);

  /**
   * Wants exactly {@code routes} (at most one per prefix), replacing everything wanted so far, in one step: no round
   * sees a part of them.
   */
  void setRoutes(List<Route> routes);

  /** Wants no route for {@code prefix}. */
  void withdraw(Prefix prefix);

  /**
   * Wants no route at all and tries once; completes when gobgpd holds no route from this node, exceptionally (with a
   * {@link GobgpException}) when that attempt failed.
   */
  CompletableFuture<Void> withdrawAll();

  /** Wants exactly these peers. */
  void setPeers(List<PeerSettings> peers);

  /** Makes an attempt now; completes with the status after it. */
  CompletableFuture<AnnouncerStatus> flush();

  /** The status after the last attempt (any thread). */
  AnnouncerStatus status();

  /** Stops the announcer; what gobgpd holds stays (call {@link #withdrawAll()} first to withdraw). */
  @Override
  void close();
}
