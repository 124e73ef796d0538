package org.example.lb.lab.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * What one {@code bin/lab bench} run found, and its text for the generated section of docs/benchmarks.md: when, on
 * which machine, with which command, then one table per benchmark (or why it failed).
 *
 * @param finished  when the run ended
 * @param command   the command exactly as run, e.g. {@code bin/lab bench --rounds 3}
 * @param loadStart the load averages when it started
 * @param loadEnd   the load averages when it ended
 * @param quick     whether {@code --quick} (a smoke test) was given
 * @param labNote   how the lab stood during the run (which parts ran with a lab up)
 * @param parts     each benchmark that ran, in order
 */
public record BenchReport(Instant finished, MachineInfo machine, String command, String loadStart, String loadEnd,
    boolean quick, String labNote, List<Outcome> parts) {
  public BenchReport {
    parts = List.copyOf(parts);
  }

  /** One benchmark's table, or why there is none. */
  public record Outcome(BenchPart part, Optional<Comparison> comparison, Optional<String> failure) {
    public static Outcome of(BenchPart part, Comparison comparison) {
      return new Outcome(part, Optional.of(comparison), Optional.empty());
    }

    public static Outcome failed(BenchPart part, String why) {
      return new Outcome(part, Optional.empty(), Optional.of(why));
    }
  }

  /** True when some benchmark failed. */
  public boolean failed() {
    return parts.stream().anyMatch(o -> o.failure().isPresent());
  }

  /** The section's Markdown, ending with a newline. */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    if (quick) {
      md.append("**A quick run (`--quick`): a smoke test of the command, not a measurement.**\n\n");
    }
    md.append("Run of ").append(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
        .format(finished)).append(": `sudo ").append(command).append("` on ").append(machine.description())
        .append("; JDK ").append(machine.jdk()).append(". Load average (1, 5, 15 min): ").append(loadStart)
        .append(" at the start, ").append(loadEnd).append(" at the end. ").append(labNote).append('\n');
    for (Outcome outcome : parts) {
      md.append('\n');
      if (outcome.comparison().isPresent()) {
        md.append(outcome.comparison().get().markdown());
      } else {
        md.append("### ").append(outcome.part().cliName()).append(": failed\n\n")
            .append(outcome.failure().orElse("")).append('\n');
      }
    }
    return md.toString();
  }
}
