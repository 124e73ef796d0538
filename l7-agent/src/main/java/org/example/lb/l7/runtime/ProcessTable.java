package org.example.lb.l7.runtime;

import java.util.List;
import java.util.Optional;

/**
 * The master CLI's {@code show proc}, by section.
 *
 * @param master the master process
 * @param workers current workers (one, with {@code nbthread} and no {@code nbproc})
 * @param oldWorkers workers from before a reload that still have work
 * @param programs programs the master supervises
 * @param text the reply verbatim
 */
public record ProcessTable(
    ProcessEntry master, List<ProcessEntry> workers, List<ProcessEntry> oldWorkers, List<ProcessEntry> programs,
    String text) {
  public ProcessTable {
    workers = List.copyOf(workers);
    oldWorkers = List.copyOf(oldWorkers);
    programs = List.copyOf(programs);
  }

  /** The master's reload count. */
  public int reloads() {
    return master.reloads();
  }

  /** The master's failed-reload count, 0 if the line has none. */
  public int failedReloads() {
    return master.failedReloads().orElse(0);
  }

  /** The process with this PID in any section. */
  public Optional<ProcessEntry> process(int pid) {
    if (master.pid() == pid) {
      return Optional.of(master);
    }
    for (List<ProcessEntry> section : List.of(workers, oldWorkers, programs)) {
      for (ProcessEntry e : section) {
        if (e.pid() == pid) {
          return Optional.of(e);
        }
      }
    }
    return Optional.empty();
  }

  /** PIDs of the current workers. */
  public List<Integer> workerPids() {
    return workers.stream().map(ProcessEntry::pid).toList();
  }
}
