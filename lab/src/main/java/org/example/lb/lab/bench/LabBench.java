package org.example.lb.lab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.config.ConfigException;
import org.example.lb.lab.LabDown;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.LabStatus;
import org.example.lb.lab.LabUp;
import org.example.lb.lab.state.Journal;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.state.LabState;
import org.example.lb.lab.topology.Topology;

/**
 * {@code bin/lab bench}: every benchmark beside its anchor in one run, then the generated section of
 * docs/benchmarks.md. The lab-less benchmarks ({@code bin/bench-l4}, {@code bin/bench-dns}) run first, while no lab
 * is up unless one was up already; then the HTTP benchmark runs against the lab that is up, or against one this run
 * brings up and takes down at the end. A lab that was up is used as it is and left up, and the report says that the
 * lab-less numbers were taken with it running.
 *
 * <p>The file is written only when every benchmark succeeded (a failed run leaves the previous numbers); the
 * section is printed in any case.
 */
public final class LabBench {
  /**
   * @param parts   the benchmarks to run
   * @param quick   short runs: a smoke test of the command, marked as such in the report
   * @param rounds  rounds of every benchmark instead of their defaults
   * @param output  the Markdown file whose generated section is replaced
   * @param write   false: print the section only
   * @param command the command as run, for the report
   */
  public record Options(Set<BenchPart> parts, boolean quick, OptionalInt rounds, Path output, boolean write,
      String command) {
    public Options {
      parts = Set.copyOf(parts);
    }
  }

  private final Path root;
  private final LabPaths paths;
  private final PrintStream out;

  public LabBench(Path root, LabPaths paths, PrintStream out) {
    this.root = root;
    this.paths = paths;
    this.out = out;
  }

  /** HTTP settings: 10 s runs after 3 s of warm-up per URL, 3 rounds; quick: 2 s, 1 s, 1 round. */
  static HttpBenchmark.Settings httpSettings(boolean quick, OptionalInt rounds) {
    return quick ? new HttpBenchmark.Settings(2, 20, Duration.ofSeconds(2), Duration.ofSeconds(1), rounds.orElse(1))
        : new HttpBenchmark.Settings(2, 20, Duration.ofSeconds(10), Duration.ofSeconds(3), rounds.orElse(3));
  }

  /** Runs the benchmarks and writes the report; returns the exit code (1 when a benchmark failed). */
  public int run(Options options) throws IOException, InterruptedException {
    Optional<LabState> lab = Journal.read(paths.journal());
    if (lab.isPresent() && !lab.get().phase().equals("up")) {
      throw new ServiceMain.UserError("a lab is " + lab.get().phase() + " (not up): wait for it, or run bin/lab down");
    }
    boolean labWasUp = lab.isPresent();
    MachineInfo machine = MachineInfo.read();
    String loadStart = MachineInfo.loadAverage();
    out.println("bin/lab bench: " + String.join(", ", options.parts().stream().sorted().map(BenchPart::cliName)
        .toList()) + " on " + machine.description() + "; load average " + loadStart);
    if (labWasUp && (options.parts().contains(BenchPart.L4) || options.parts().contains(BenchPart.DNS))) {
      out.println("warning: a lab is up: the L4 and DNS benchmarks share the machine with it (less reliable numbers;"
          + " bin/lab down first for clean ones)");
    }
    List<BenchReport.Outcome> outcomes = new ArrayList<>();
    for (ScriptBenchmark script : List.of(ScriptBenchmark.l4(options.quick(), options.rounds()),
        ScriptBenchmark.dns(options.quick(), options.rounds()))) {
      if (options.parts().contains(script.part())) {
        out.println();
        out.println("== " + script.part().cliName() + ": " + script.commandLine());
        try {
          outcomes.add(BenchReport.Outcome.of(script.part(), script.comparison(script.run(root))));
        } catch (LabFailure e) {
          out.println("error: " + e.getMessage());
          outcomes.add(BenchReport.Outcome.failed(script.part(), e.getMessage()));
        }
      }
    }
    boolean broughtUp = false;
    if (options.parts().contains(BenchPart.HTTP)) {
      out.println();
      out.println("== http: wrk through the whole stack vs directly to one LB7");
      HttpOutcome http = runHttp(options, lab);
      outcomes.add(http.outcome());
      broughtUp = http.broughtUp();
    }
    String labNote = labNote(options.parts(), labWasUp, broughtUp);
    BenchReport report = new BenchReport(Instant.now(), machine, options.command(), loadStart,
        MachineInfo.loadAverage(), options.quick(), labNote, outcomes);
    String section = report.markdown();
    out.println();
    out.println("---- generated section of " + options.output() + " ----");
    out.print(section);
    out.println("----");
    if (report.failed()) {
      out.println("not writing " + options.output() + ": a benchmark failed (its previous numbers stay)");
      return 1;
    }
    if (!options.write()) {
      out.println("not writing " + options.output() + " (--dry-run)");
      return 0;
    }
    writeSection(options.output(), section);
    out.println("wrote the generated section of " + options.output());
    return 0;
  }

  private record HttpOutcome(BenchReport.Outcome outcome, boolean broughtUp) {}

  private HttpOutcome runHttp(Options options, Optional<LabState> lab) throws IOException, InterruptedException {
    boolean broughtUp = false;
    Thread takeDown = null;
    try {
      Topology topology;
      if (lab.isPresent()) {
        out.println("using the lab that is up (it stays up)");
        if (LabStatus.exitCode(LabStatus.read(paths)) != 0) {
          out.println("warning: bin/lab status reports a dead process or a missing namespace: the HTTP numbers may"
              + " show it");
        }
        topology = Topology.load(Path.of(lab.get().topology()), lab.get().sizes());
      } else {
        out.println("no lab is up: bringing one up for the HTTP benchmark (taken down at the end)");
        Path file = root.resolve("lab/topology.yaml");
        takeDown = Thread.ofPlatform().unstarted(this::takeDownQuietly);
        Runtime.getRuntime().addShutdownHook(takeDown); // Ctrl-C: do not leave the lab behind
        int code = new LabUp(root, paths, out).run(new LabUp.Options(file, Map.of(), false, true,
            Duration.ofSeconds(180), false, -1));
        if (code != 0) { // it took down what it had built
          throw new LabFailure("bin/lab up failed (exit " + code + ")");
        }
        broughtUp = true;
        topology = Topology.load(file, Map.of());
      }
      HttpBenchmark.Settings settings = httpSettings(options.quick(), options.rounds());
      String client = HttpBenchmark.clientNode(topology);
      HttpBenchmark bench = new HttpBenchmark(settings, client, HttpBenchmark.pairs(topology),
          HttpBenchmark.inNode(client, settings.duration().plus(settings.warmup())), out);
      return new HttpOutcome(BenchReport.Outcome.of(BenchPart.HTTP, bench.run().comparison()), broughtUp);
    } catch (LabFailure | ConfigException e) {
      out.println("error: " + e.getMessage());
      return new HttpOutcome(BenchReport.Outcome.failed(BenchPart.HTTP, e.getMessage()), broughtUp);
    } finally {
      if (broughtUp) {
        out.println("taking down the lab this run brought up");
        int code = new LabDown(paths, out).run();
        if (code != 0) {
          out.println("warning: bin/lab down exited " + code + ": run it again");
        }
      }
      if (takeDown != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(takeDown);
        } catch (IllegalStateException e) {
          // the JVM is shutting down (Ctrl-C): the hook takes the lab down
        }
      }
    }
  }

  private void takeDownQuietly() {
    try {
      if (Journal.read(paths.journal()).isPresent()) {
        new LabDown(paths, out).run();
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("error: taking the lab down: " + e.getMessage() + " (run bin/lab down)");
    }
  }

  /** How the lab stood, for the report. */
  static String labNote(Set<BenchPart> parts, boolean labWasUp, boolean broughtUp) {
    boolean lablessParts = parts.contains(BenchPart.L4) || parts.contains(BenchPart.DNS);
    if (labWasUp) {
      return (lablessParts ? "A lab was up during the whole run: the L4 and DNS numbers were taken with it running "
          + "(less reliable). " : "") + (parts.contains(BenchPart.HTTP) ? "HTTP used the lab that was up." : "");
    }
    if (broughtUp) {
      return (lablessParts ? "L4 and DNS ran with no lab up; " : "")
          + "the command brought the lab up for HTTP and took it down at the end.";
    }
    return "No lab was up.";
  }

  /** Replaces the generated section of {@code file} (created if missing) atomically. */
  static void writeSection(Path file, String section) throws IOException {
    String document = Files.exists(file) ? Files.readString(file) : "";
    String updated;
    try {
      updated = GeneratedSection.replace(document, section);
    } catch (IllegalArgumentException e) {
      throw new LabFailure(file + ": " + e.getMessage());
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(temp, updated);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
