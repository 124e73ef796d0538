package org.example.lb.lab.node;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.state.Journal;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.state.Resource;

/**
 * Stops and starts one recorded service of a running lab (what maintenance and failure scenarios do: "stop
 * LB7-3's HAProxy"), keeping the journal true so {@code bin/lab down} still stops exactly what runs.
 */
public final class LabServices {
  private final LabPaths paths;
  private final Map<String, String> environment;

  public LabServices(LabPaths paths, Map<String, String> environment) {
    this.paths = paths;
    this.environment = Map.copyOf(environment);
  }

  /** Stops {@code service} on {@code node} (TERM, then KILL after {@code grace}); returns what was stopped. */
  public Resource.Process stop(String node, String service, Duration grace) throws IOException {
    Journal journal = journal();
    Resource.Process process = recorded(journal, node, service);
    List<Resource.Process> alive = ProcessStopper.stop(List.of(process), grace, journal::forget, s -> {});
    if (!alive.isEmpty()) {
      throw new LabFailure(node + ": " + service + " (pid " + process.pid() + ") survived KILL");
    }
    return process;
  }

  /**
   * Kills {@code service} on {@code node} with KILL at once (a crash: it cannot clean up or say goodbye); returns what
   * was killed, for {@link #start}.
   */
  public Resource.Process kill(String node, String service) throws IOException {
    Journal journal = journal();
    Resource.Process process = recorded(journal, node, service);
    if (!ProcessStopper.kill(List.of(process), journal::forget).isEmpty()) {
      throw new LabFailure(node + ": " + service + " (pid " + process.pid() + ") survived KILL");
    }
    return process;
  }

  /** True when the lab has a live recorded {@code service} on {@code node}. */
  public boolean running(String node, String service) throws IOException {
    return journal().state().processes().stream()
        .anyMatch(p -> p.node().equals(node) && p.service().equals(service) && ProcStat.alive(p.pid(), p.startTime()));
  }

  /** The process the lab recorded for {@code service} on {@code node}. */
  public Resource.Process recorded(String node, String service) throws IOException {
    return recorded(journal(), node, service);
  }

  private static Resource.Process recorded(Journal journal, String node, String service) {
    return journal.state().processes().stream()
        .filter(p -> p.node().equals(node) && p.service().equals(service)).findFirst()
        .orElseThrow(() -> new LabFailure(node + " runs no recorded " + service));
  }

  /** Starts a service {@link #stop} stopped, with its recorded command line and log. */
  public Resource.Process start(Resource.Process stopped) throws IOException {
    return new ServiceLauncher(journal(), environment).restart(stopped);
  }

  private Journal journal() throws IOException {
    return Journal.open(paths.journal()).orElseThrow(() -> new LabFailure("no lab is up (" + paths.journal() + ")"));
  }
}
