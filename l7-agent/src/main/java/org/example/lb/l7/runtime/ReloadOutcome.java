package org.example.lb.l7.runtime;

import java.util.List;

/**
 * A completed reload: the master's reload count grew without a failure, and every new worker
 * answered {@code show info} through the master.
 *
 * @param before the process table before the reload
 * @param after the process table once the new workers answered
 * @param newWorkerPids current workers that were not workers before
 */
public record ReloadOutcome(ProcessTable before, ProcessTable after, List<Integer> newWorkerPids) {
  public ReloadOutcome {
    newWorkerPids = List.copyOf(newWorkerPids);
  }

  /** Workers from before the reload that are still listed (as old workers) in {@link #after}. */
  public List<Integer> previousWorkersStillRunning() {
    return before.workerPids().stream().filter(pid -> after.process(pid).isPresent()).toList();
  }
}
