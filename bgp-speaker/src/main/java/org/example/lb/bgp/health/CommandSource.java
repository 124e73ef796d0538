package org.example.lb.bgp.health;

import org.example.lb.common.health.DurationText;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.example.lb.common.config.Validation;
import org.example.lb.common.health.ProbeResult;

/** {@link HealthSource#command}: exit status 0 passes. */
final class CommandSource implements HealthSource {
  private final List<String> argv;
  private final Duration timeout;

  CommandSource(List<String> argv, Duration timeout) {
    if (argv == null || argv.isEmpty() || argv.stream().anyMatch(a -> a == null) || argv.getFirst().isBlank()) {
      throw Validation.invalid("command", argv, "a program and its arguments, such as [/usr/local/bin/check, -q]");
    }
    this.argv = List.copyOf(argv);
    this.timeout = Validation.positive("timeout", timeout);
  }

  @Override
  public ProbeResult check() {
    BoundedProcess.Outcome o = BoundedProcess.run(argv, Map.of(), timeout);
    String line = o.lastLine().isEmpty() ? "" : ": " + o.lastLine();
    return switch (o.end()) {
      case EXITED -> new ProbeResult(o.exitCode() == 0, "exit " + o.exitCode() + line, o.elapsed());
      case TIMED_OUT -> ProbeResult.failed("killed after timeout " + DurationText.of(timeout) + line, o.elapsed());
      case INTERRUPTED -> ProbeResult.failed("interrupted", o.elapsed());
      case NOT_STARTED -> ProbeResult.failed("cannot run " + argv.getFirst() + ": " + o.output(), o.elapsed());
    };
  }

  @Override
  public String toString() {
    return "command " + String.join(" ", argv);
  }
}
