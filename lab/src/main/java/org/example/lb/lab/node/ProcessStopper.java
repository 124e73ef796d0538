package org.example.lb.lab.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.example.lb.lab.state.Resource;

/**
 * Stops recorded processes by PID, and only those whose start time still matches the record: TERM,
 * wait up to a deadline, then KILL.
 */
public final class ProcessStopper {
  private ProcessStopper() {}

  /**
   * Stops {@code processes}; reports each one as it is known gone through {@code gone}. Returns the
   * ones still alive after KILL (should be none).
   */
  public static List<Resource.Process> stop(List<Resource.Process> processes, Duration grace,
      Consumer<Resource.Process> gone, Consumer<String> log) {
    List<Resource.Process> alive = new ArrayList<>();
    for (Resource.Process p : processes) {
      if (ProcStat.alive(p.pid(), p.startTime())) {
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroy); // SIGTERM
        alive.add(p);
      } else {
        gone.accept(p);
      }
    }
    waitGone(alive, grace, gone);
    for (Resource.Process p : alive) {
      if (ProcStat.alive(p.pid(), p.startTime())) {
        log.accept(p.node() + ": " + p.service() + " (pid " + p.pid() + ") ignored TERM for " + grace.toSeconds() + "s; sending KILL");
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    waitGone(alive, Duration.ofSeconds(5), gone);
    return List.copyOf(alive);
  }

  /**
   * Kills {@code processes} and their descendants (HAProxy's and nginx's workers) with KILL at once, as a crash would
   * (no signal handler runs, nothing is cleaned up), those whose start time still matches the record; reports each one as it is known gone through {@code gone}. Returns the
   * ones still alive 5 s later (should be none).
   */
  public static List<Resource.Process> kill(List<Resource.Process> processes, Consumer<Resource.Process> gone) {
    List<Resource.Process> alive = new ArrayList<>();
    for (Resource.Process p : processes) {
      if (ProcStat.alive(p.pid(), p.startTime())) {
        ProcessHandle.of(p.pid()).ifPresent(h -> {
          List<ProcessHandle> workers = h.descendants().toList(); // before the parent dies and they are reparented
          h.destroyForcibly(); // SIGKILL
          workers.forEach(ProcessHandle::destroyForcibly);
        });
        alive.add(p);
      } else {
        gone.accept(p);
      }
    }
    waitGone(alive, Duration.ofSeconds(5), gone);
    return List.copyOf(alive);
  }

  private static void waitGone(List<Resource.Process> alive, Duration deadline, Consumer<Resource.Process> gone) {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      alive.removeIf(p -> {
        if (!ProcStat.alive(p.pid(), p.startTime())) {
          gone.accept(p);
          return true;
        }
        return false;
      });
      if (alive.isEmpty() || System.nanoTime() > end) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
