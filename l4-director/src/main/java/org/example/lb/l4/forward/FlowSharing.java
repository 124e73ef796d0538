package org.example.lb.l4.forward;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.example.lb.l4.flow.FlowOutbox;
import org.example.lb.l4.flow.PeerFlows;

/**
 * How one worker takes part in flow sync ({@code org.example.lb.l4.sync.FlowSync}).
 *
 * @param outbox where the worker queues each TCP flow it pins (and, every {@code refresh}, each one still in use)
 *     for the peers; empty = it tells no one
 * @param peers the flows peers pinned, consulted for a mid-flow TCP packet of a flow the worker does not know, before
 *     the consistent mid-flow table; empty = not consulted
 * @param refresh how often a flow still in use is queued again (so peers keep it while it lives)
 */
public record FlowSharing(Optional<FlowOutbox> outbox, Optional<PeerFlows> peers, Duration refresh) {
  /** No flow sync. */
  public static final FlowSharing NONE = new FlowSharing(Optional.empty(), Optional.empty(), Duration.ofSeconds(10));

  public FlowSharing {
    Objects.requireNonNull(outbox, "outbox");
    Objects.requireNonNull(peers, "peers");
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("refresh: " + refresh + " (expected: a positive duration)");
    }
  }
}
