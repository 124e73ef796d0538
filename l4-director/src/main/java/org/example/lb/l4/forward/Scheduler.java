package org.example.lb.l4.forward;

import java.util.Arrays;
import org.example.lb.l4.flow.FlowTable;
import org.example.lb.l4.packet.PacketView;

/**
 * One worker's new-flow scheduling: the consistent kinds (MAGLEV, SH, DH) are lookups in the shared state; RR and
 * WRR keep a per-worker cursor / current weights, LC and WLC read this worker's flow counts (see {@link
 * SchedulerKind} for what that means across workers and directors). Allocation-free; O(backends) for WRR, LC, WLC.
 */
final class Scheduler {
  private int roundRobinNext;
  private final long[] currentWeight = new long[ForwardingState.MAX_BACKENDS];
  private ForwardingState weightsOf;

  /** The slot for a new flow of the parsed packet, or -1 when no backend is UP with a positive weight. */
  int newFlowSlot(ForwardingState state, PacketView packet, FlowTable flows) {
    return switch (state.scheduler()) {
      case MAGLEV, SH, DH -> state.consistentNewFlowSlot(packet);
      case RR -> roundRobin(state.newFlowSlots());
      case WRR -> weightedRoundRobin(state);
      case LC -> leastConnections(state, flows, false);
      case WLC -> leastConnections(state, flows, true);
    };
  }

  private int roundRobin(int[] candidates) {
    if (candidates.length == 0) {
      return -1;
    }
    if (roundRobinNext >= candidates.length) {
      roundRobinNext = 0;
    }
    return candidates[roundRobinNext++];
  }

  /** Smooth weighted round robin (as nginx): proportional to the weights, interleaved, deterministic. */
  private int weightedRoundRobin(ForwardingState state) {
    int[] candidates = state.newFlowSlots();
    if (candidates.length == 0) {
      return -1;
    }
    if (weightsOf != state) {
      Arrays.fill(currentWeight, 0);
      weightsOf = state;
    }
    long total = 0;
    int best = -1;
    for (int slot : candidates) {
      int weight = state.weight(slot);
      currentWeight[slot] += weight;
      total += weight;
      if (best < 0 || currentWeight[slot] > currentWeight[best]) {
        best = slot;
      }
    }
    currentWeight[best] -= total;
    return best;
  }

  private static int leastConnections(ForwardingState state, FlowTable flows, boolean weighted) {
    int[] candidates = state.newFlowSlots();
    int best = -1;
    long bestFlows = 0;
    long bestWeight = 1;
    for (int slot : candidates) {
      long n = flows.flowsOf(slot, state.generation(slot));
      long weight = weighted ? state.weight(slot) : 1;
      // n / weight < bestFlows / bestWeight, without division
      if (best < 0 || n * bestWeight < bestFlows * weight) {
        best = slot;
        bestFlows = n;
        bestWeight = weight;
      }
    }
    return best;
  }
}
