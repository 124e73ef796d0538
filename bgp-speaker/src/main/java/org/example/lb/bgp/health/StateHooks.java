package org.example.lb.bgp.health;

import org.example.lb.common.health.DurationText;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.example.lb.common.flags.SerialExecutor;

/**
 * Runs the {@link Hooks} of each state change, off the state machine: one command at a time, changes in order, on
 * virtual threads. Each outcome is logged with its exit status and last lines of output.
 */
final class StateHooks {
  private static final Logger LOG = Logger.getLogger(StateHooks.class.getName());

  private final String name;
  private final Hooks hooks;
  private final SerialExecutor serial =
      new SerialExecutor(task -> Thread.ofVirtual().name("health hooks").start(task));

  StateHooks(String name, Hooks hooks) {
    this.name = name;
    this.hooks = hooks;
  }

  /** Queues the commands for a change to {@code state}; returns at once. */
  void changedTo(HealthState state) {
    for (String command : hooks.commandsFor(state)) {
      serial.execute(() -> runOne(state, command));
    }
  }

  private void runOne(HealthState state, String command) {
    BoundedProcess.Outcome o = BoundedProcess.run(List.of("/bin/sh", "-c", command), Map.of("STATE", state.name()),
        hooks.timeout());
    String output = o.lastLines(3);
    String tail = output.isEmpty() ? "" : ": " + output;
    String prefix = name + ": hook for " + state + " `" + command + "` ";
    switch (o.end()) {
      case EXITED -> LOG.log(o.exitCode() == 0 ? Level.INFO : Level.WARNING,
          prefix + "exit " + o.exitCode() + " in " + DurationText.of(o.elapsed()) + tail);
      case TIMED_OUT -> LOG.warning(prefix + "killed after timeout " + DurationText.of(hooks.timeout()) + tail);
      case INTERRUPTED -> LOG.warning(prefix + "interrupted" + tail);
      case NOT_STARTED -> LOG.warning(prefix + "cannot run: " + o.output());
    }
  }
}
