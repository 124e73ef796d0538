package org.example.lb.l4.director;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.example.lb.l4.sync.SyncStatus;

/**
 * What {@code /status} of a running director says (JSON), and what {@code l4-director status} and the BGP speaker
 * read back. Counters are totals since the director started.
 *
 * @param node the node's name
 * @param serving false once the director is shutting down (the BGP speaker withdraws then)
 * @param scheduler the scheduler in use
 * @param hashKey what the consistent hash is keyed on
 * @param tableSize the Maglev table size
 * @param quorum whether enough LB7s are UP
 * @param services the VIPs served
 * @param backends the LB7s, in configuration order
 * @param workers one entry per worker (TUN queue)
 * @param drops dropped packets per reason, summed over the workers (reasons with a count only)
 * @param lastReload the outcome of the last reload, if there was one
 * @param sync flow sync's counters, when it is on
 */
public record DirectorStatus(
    String node,
    boolean serving,
    String scheduler,
    String hashKey,
    int tableSize,
    QuorumStatus quorum,
    List<String> services,
    List<BackendStatus> backends,
    List<WorkerStatus> workers,
    Map<String, Long> drops,
    Optional<String> lastReload,
    Optional<SyncStatus> sync) {

  /**
   * @param up whether the service counts as up
   * @param liveWeight the weight of the UP LB7s
   * @param weight the quorum
   * @param hysteresis the hysteresis
   */
  public record QuorumStatus(boolean up, long liveWeight, int weight, int hysteresis) {}

  /**
   * @param name the LB7's name
   * @param addresses its tunnel addresses
   * @param state UP, DRAINING or DOWN
   * @param weight the configured weight
   * @param tableShare its share of the Maglev table for new flows (0..1)
   * @param flows flows pinned to it, over every worker
   * @param http the last HTTP check result
   * @param tcp the last TCP check result
   * @param since when it entered {@code state} (ISO-8601)
   */
  public record BackendStatus(String name, List<String> addresses, String state, int weight, double tableShare,
      long flows, String http, String tcp, String since) {}

  /**
   * @param index the worker's (and its TUN queue's) index
   * @param received packets read from the TUN
   * @param tunnelled packets sent to an LB7
   * @param icmpSent ICMP Packet Too Big messages sent back
   * @param sendErrors failed sends
   * @param flows flows in its table
   * @param peerHits mid-flow packets of unknown flows it sent to the LB7 a peer director named (flow sync)
   */
  public record WorkerStatus(int index, long received, long tunnelled, long icmpSent, long sendErrors, long flows,
      long peerHits) {}
}
