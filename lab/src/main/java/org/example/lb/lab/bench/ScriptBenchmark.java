package org.example.lb.lab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import org.example.lb.lab.LabFailure;

/**
 * The benchmarks that are scripts of the repository and need no lab: {@code bin/bench-l4} (the director vs the kernel
 * forwarding the same packets) and {@code bin/bench-dns} (dns-tier vs gdnsd). Each runs as a child process whose
 * output goes to the terminal as it comes; its numbers come from the file it writes with {@code --results FILE}
 * (one {@link ResultLine} per measurement), never from its text for people.
 *
 * @param part   which benchmark
 * @param script the script, relative to the checkout
 */
public record ScriptBenchmark(BenchPart part, String script, List<String> arguments) {
  public ScriptBenchmark {
    arguments = List.copyOf(arguments);
  }

  /** {@code bin/bench-l4} with its defaults, or 1 s phases and 1 round when {@code quick}; {@code rounds} wins. */
  public static ScriptBenchmark l4(boolean quick, OptionalInt rounds) {
    List<String> args = new ArrayList<>();
    if (quick) {
      args.addAll(List.of("--duration", "1", "--warmup", "0.5", "--round-trips", "2000"));
    }
    if (quick || rounds.isPresent()) {
      args.addAll(List.of("--rounds", Integer.toString(rounds.orElse(1))));
    }
    return new ScriptBenchmark(BenchPart.L4, "bin/bench-l4", args);
  }

  /** {@code bin/bench-dns} with its defaults, or 1 s measurements and 1 round when {@code quick}; {@code rounds} wins.
   */
  public static ScriptBenchmark dns(boolean quick, OptionalInt rounds) {
    List<String> args = new ArrayList<>();
    if (quick) {
      args.addAll(List.of("--duration", "1"));
    }
    if (quick || rounds.isPresent()) {
      args.addAll(List.of("--rounds", Integer.toString(rounds.orElse(1))));
    }
    return new ScriptBenchmark(BenchPart.DNS, "bin/bench-dns", args);
  }

  /** The command as a person would type it (without {@code --results}). */
  public String commandLine() {
    return arguments.isEmpty() ? script : script + " " + String.join(" ", arguments);
  }

  /**
   * Runs the script from {@code root} with {@code --results} in a temporary file, its output inherited, and returns
   * the file's lines.
   *
   * @throws LabFailure when the script cannot start, exits with a code other than 0, or writes no results
   */
  public List<ResultLine> run(Path root) throws IOException, InterruptedException {
    Path results = Files.createTempFile("lab-bench-" + part.cliName() + "-", ".results");
    try {
      Files.delete(results); // the script writes it: an empty file afterwards would mean it wrote nothing
      List<String> command = new ArrayList<>(List.of(root.resolve(script).toString()));
      command.addAll(arguments);
      command.addAll(List.of("--results", results.toString()));
      Process process;
      try {
        process = new ProcessBuilder(command).directory(root.toFile()).inheritIO().start();
      } catch (IOException e) {
        throw new LabFailure("cannot run " + script + ": " + e.getMessage());
      }
      int code = process.waitFor();
      if (code != 0) {
        throw new LabFailure(commandLine() + " failed (exit " + code + ")");
      }
      if (!Files.isRegularFile(results)) {
        throw new LabFailure(commandLine() + " wrote no results file");
      }
      try {
        return ResultLine.parseAll(script + " --results", Files.readString(results));
      } catch (IllegalArgumentException e) {
        throw new LabFailure(e.getMessage());
      }
    } finally {
      Files.deleteIfExists(results);
    }
  }

  /** The report's table for this benchmark's result lines. */
  public Comparison comparison(List<ResultLine> lines) {
    return part == BenchPart.L4 ? l4Comparison(lines, commandLine()) : dnsComparison(lines, commandLine());
  }

  /**
   * {@code bin/bench-l4}'s table: per payload the packets per second delivered (director / kernel) and the loss,
   * then the UDP echo round trip's p50, p99 and p99.9.
   */
  static Comparison l4Comparison(List<ResultLine> lines, String command) {
    List<Comparison.Row> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    ResultLine settings = only(lines, "settings", Map.of()).orElse(new ResultLine("settings", Map.of()));
    notes.add(String.format(Locale.ROOT, "`%s`: %s s per phase after %s s of warm-up, %s round(s), medians of the "
        + "rounds; %s sender thread(s), %s LB7 addresses, 10 %% new flows; latency: %s round trips per phase and "
        + "round, one in flight, pooled", command, field(settings, "duration_s"), field(settings, "warmup_s"),
        field(settings, "rounds"), field(settings, "senders"), field(settings, "backends"),
        field(settings, "round_trips")));
    Set<String> payloads = new LinkedHashSet<>();
    lines.stream().filter(l -> l.kind().equals("throughput")).forEach(l -> l.text("payload").ifPresent(payloads::add));
    List<String> cpu = new ArrayList<>();
    for (String payload : payloads) {
      ResultLine director = only(lines, "throughput", Map.of("payload", payload, "side", "director"))
          .orElse(missing("throughput"));
      ResultLine kernel = only(lines, "throughput", Map.of("payload", payload, "side", "kernel"))
          .orElse(missing("throughput"));
      rows.add(new Comparison.Row(payload + " B UDP: packets/s delivered",
          Quantity.of(director.number("delivered_pps"), "", 0), Quantity.of(kernel.number("delivered_pps"), "", 0),
          true));
      rows.add(new Comparison.Row(payload + " B UDP: loss (of the packets offered)",
          Quantity.of(director.number("loss_pct"), "%", 1), Quantity.of(kernel.number("loss_pct"), "%", 1), false));
      cpu.add(String.format(Locale.ROOT, "%s B: worker %s, machine %s (director) vs %s (kernel)", payload,
          percent(director.number("worker_cpu_pct")), percent(director.number("machine_busy_pct")),
          percent(kernel.number("machine_busy_pct"))));
    }
    ResultLine director = only(lines, "latency", Map.of("side", "director")).orElse(missing("latency"));
    ResultLine kernel = only(lines, "latency", Map.of("side", "kernel")).orElse(missing("latency"));
    for (String[] p : new String[][] {{"p50", "p50_us"}, {"p99", "p99_us"}, {"p99.9", "p999_us"}}) {
      rows.add(new Comparison.Row("UDP echo round trip " + p[0], Quantity.of(director.number(p[1]), "µs", 1),
          Quantity.of(kernel.number(p[1]), "µs", 1), true));
    }
    if (!cpu.isEmpty()) {
      notes.add("CPU busy (of " + field(settings, "cpus") + " × 100 %): " + String.join("; ", cpu));
    }
    notes.add("load average (1 min): " + field(settings, "load_before") + " before, " + field(settings, "load_after")
        + " after; kernel " + field(settings, "kernel"));
    return new Comparison("L4: the director vs kernel forwarding", "director", "kernel forwarding", rows, notes);
  }

  /**
   * {@code bin/bench-dns}'s table: queries per second (UDP at the maximum rate, TCP, dynamic names) and loss, and
   * the average latency at the fixed rate.
   */
  static Comparison dnsComparison(List<ResultLine> lines, String command) {
    ResultLine settings = only(lines, "settings", Map.of()).orElse(new ResultLine("settings", Map.of()));
    ResultLine versions = only(lines, "versions", Map.of()).orElse(new ResultLine("versions", Map.of()));
    ResultLine load = only(lines, "load", Map.of()).orElse(new ResultLine("load", Map.of()));
    List<Comparison.Row> rows = new ArrayList<>();
    String rate = field(settings, "rate");
    rows.add(dnsRow(lines, "udp", "UDP, as fast as answered: queries/s", "qps", "", 0, true));
    rows.add(dnsRow(lines, "udp", "UDP, as fast as answered: lost", "lost_pct", "%", 2, false));
    rows.add(dnsRow(lines, "rate", "UDP at " + rate + " queries/s: average latency", "avg_us", "µs", 0, true));
    rows.add(dnsRow(lines, "rate", "UDP at " + rate + " queries/s: answered/s", "qps", "", 0, true));
    rows.add(dnsRow(lines, "tcp", "TCP, 4 connections: queries/s", "qps", "", 0, true));
    rows.add(dnsRow(lines, "dyn", "dynamic names, as fast as answered: queries/s", "qps", "", 0, true));
    rows.add(dnsRow(lines, "dyn", "dynamic names, as fast as answered: lost", "lost_pct", "%", 2, false));
    List<String> notes = new ArrayList<>();
    notes.add(String.format(Locale.ROOT, "`%s`: %s s per measurement, %s round(s) alternating which server goes "
        + "first, medians of the rounds; %s worker threads each, dnsperf with %s clients; %s", command,
        field(settings, "duration_s"), field(settings, "rounds"), field(settings, "workers"),
        field(settings, "clients"), "true".equals(settings.fields().get("pinned"))
            ? "pinned (servers on CPU 0, dnsperf on CPU 1)" : "not pinned"));
    notes.add("JDK " + field(versions, "jdk") + ", gdnsd " + field(versions, "gdnsd") + ", dnsperf "
        + field(versions, "dnsperf") + "; load average (1 min): " + field(load, "start") + " at the start, "
        + field(load, "end") + " at the end");
    return new Comparison("DNS: dns-tier vs gdnsd", "dns-tier", "gdnsd", rows, notes);
  }

  private static Comparison.Row dnsRow(List<ResultLine> lines, String kind, String measure, String key, String unit,
      int decimals, boolean ratio) {
    OptionalDouble ours = only(lines, "median", Map.of("kind", kind, "server", "dns-tier")).orElse(missing("median"))
        .number(key);
    OptionalDouble theirs = only(lines, "median", Map.of("kind", kind, "server", "gdnsd")).orElse(missing("median"))
        .number(key);
    return new Comparison.Row(measure, Quantity.of(ours, unit, decimals), Quantity.of(theirs, unit, decimals), ratio);
  }

  /** The single line of {@code kind} with those fields (a repeated line is an error: the file is not understood). */
  private static java.util.Optional<ResultLine> only(List<ResultLine> lines, String kind, Map<String, String> match) {
    List<ResultLine> found = lines.stream().filter(l -> l.is(kind, match)).toList();
    if (found.size() > 1) {
      throw new LabFailure("results: " + found.size() + " lines of kind " + kind + " with " + match
          + " (expected one)");
    }
    return found.stream().findFirst();
  }

  private static ResultLine missing(String kind) {
    return new ResultLine(kind, Map.of());
  }

  private static String field(ResultLine line, String key) {
    return line.text(key).orElse("?");
  }

  private static String percent(OptionalDouble v) {
    return v.isPresent() ? Quantity.of(v, "%", 0).text() : "—";
  }
}
