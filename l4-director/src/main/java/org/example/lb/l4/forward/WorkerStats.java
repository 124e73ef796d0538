package org.example.lb.l4.forward;

import java.util.Map;

/**
 * A racy snapshot of one worker's counters (each value is exact and monotonic on its own; they are not a consistent
 * cut across counters).
 *
 * @param worker the worker's index
 * @param received packets read from the TUN queue
 * @param tunnelled packets sent to an LB7
 * @param icmpSent Packet Too Big errors written back into the TUN device
 * @param sendErrors tunnel packets or ICMP errors the kernel refused (full socket buffer, unreachable, ...)
 * @param readErrors failed reads of the TUN queue
 * @param drops packets dropped, by {@link org.example.lb.l4.packet.Verdict} name (only verdicts seen, OK excluded),
 *     plus {@code INTERNAL_ERROR} for packets lost to a bug (an exception caught and logged once)
 * @param flows flows in this worker's table
 * @param flowEvictions flows evicted because the table was full
 * @param flowsPerBackend flows per LB7 of the current state (by name; DOWN ones included until their flows go)
 * @param peerHits mid-flow packets of unknown flows sent to the LB7 a peer director named (flow sync)
 */
public record WorkerStats(int worker, long received, long tunnelled, long icmpSent, long sendErrors, long readErrors,
    Map<String, Long> drops, long flows, long flowEvictions, Map<String, Long> flowsPerBackend, long peerHits) {
  public WorkerStats {
    drops = Map.copyOf(drops);
    flowsPerBackend = Map.copyOf(flowsPerBackend);
  }
}
