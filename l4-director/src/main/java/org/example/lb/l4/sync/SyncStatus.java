package org.example.lb.l4.sync;

import java.util.List;

/**
 * Flow sync in {@code /status}; counters are totals since the director started.
 *
 * @param peers the peers' addresses
 * @param flowsOffered flows the workers queued for the peers (new ones and refreshes)
 * @param flowsDropped flows left out because a worker's outbox was full
 * @param datagramsSent datagrams sent (one per peer per batch)
 * @param recordsSent flow records sent, summed over peers
 * @param sendErrors sends that failed (e.g. a peer's address unreachable)
 * @param datagramsReceived datagrams received
 * @param recordsReceived flow records received from peers
 * @param notFromPeer datagrams dropped because their sender is not a peer
 * @param malformed datagrams dropped as invalid
 * @param unknownBackend records naming an LB7 this director does not have
 * @param peerFlows peers' flows held now
 * @param peerFlowsRejected records left out because the peer-flow table was full
 */
public record SyncStatus(List<String> peers, long flowsOffered, long flowsDropped, long datagramsSent,
    long recordsSent, long sendErrors, long datagramsReceived, long recordsReceived, long notFromPeer,
    long malformed, long unknownBackend, long peerFlows, long peerFlowsRejected) {}
