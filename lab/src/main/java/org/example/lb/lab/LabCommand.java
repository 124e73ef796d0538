package org.example.lb.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.EnumSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.lab.bench.BenchPart;
import org.example.lb.lab.bench.LabBench;
import org.example.lb.lab.diagram.DotDiagram;
import org.example.lb.lab.netns.Exec;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.state.Journal;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.state.LabState;
import org.example.lb.lab.status.StatusWatch;
import org.example.lb.lab.status.TierView;
import org.example.lb.lab.status.TierViewJson;
import org.example.lb.lab.status.TierViewText;
import org.example.lb.lab.topology.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bin/lab}: the reference load-balancing lab in Linux network namespaces. */
@Command(name = "lab", mixinStandardHelpOptions = true,
    description = "The 3-tier load-balancing lab in Linux network namespaces (root only, except diagram).",
    subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class, LabCommand.ExecIn.class,
        LabCommand.Logs.class, LabCommand.Clients.class, LabCommand.Disrupt.class, LabCommand.Bench.class,
        LabCommand.Diagram.class})
public final class LabCommand implements Callable<Integer> {
  public static void main(String[] args) {
    System.exit(ServiceMain.execute(new LabCommand(), execArguments(args)));
  }

  /**
   * {@code exec NODE CMD...} without {@code --}: everything after the node is the command, even
   * words that look like options ({@code bin/lab exec R1 ip -br a}).
   */
  static String[] execArguments(String[] args) {
    if (args.length < 3 || !args[0].equals("exec") || args[1].startsWith("-") || args[2].equals("--")) {
      return args;
    }
    List<String> out = new ArrayList<>(List.of(args[0], args[1], "--"));
    out.addAll(List.of(args).subList(2, args.length));
    return out.toArray(String[]::new);
  }

  @Override
  public Integer call() {
    throw new ServiceMain.UserError("missing command: up, down, status, exec, logs, clients, disrupt, bench or diagram"
        + " (see --help)");
  }

  static void requireRoot() {
    if (!isRoot()) {
      throw new ServiceMain.UserError("bin/lab must run as root (it creates network namespaces); try sudo");
    }
  }

  /** True when the effective user is root (from /proc/self/status). */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /** Runs {@code body}, turning a lab failure into one error line and exit 1. */
  static int guarded(Callable<Integer> body) throws Exception {
    try {
      return body.call();
    } catch (LabFailure | java.io.UncheckedIOException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }

  static LabState requireLab(LabPaths paths) throws IOException {
    return Journal.read(paths.journal())
        .orElseThrow(() -> new ServiceMain.UserError("no lab is up (run bin/lab up)"));
  }

  static String requireNode(LabState state, String node) {
    List<String> names = new ArrayList<>(state.nodes().stream().map(LabState.NodeSummary::name).toList());
    state.namespaces().stream().filter(n -> !names.contains(n)).forEach(names::add);
    if (!names.contains(node)) {
      throw new ServiceMain.UserError("unknown node " + node + " (expected one of: " + String.join(", ", names) + ")");
    }
    return node;
  }

  static Map<String, Integer> parseSizes(List<String> sizes) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String s : sizes) {
      int eq = s.indexOf('=');
      if (eq <= 0 || !s.substring(eq + 1).matches("\\d{1,4}")) {
        throw new ServiceMain.UserError("--size " + s + " (expected: GROUP=N, e.g. LB7=2)");
      }
      out.put(s.substring(0, eq), Integer.parseInt(s.substring(eq + 1)));
    }
    return out;
  }

  @Command(name = "up", mixinStandardHelpOptions = true, description = "Bring the lab up and wait until every service answers.")
  static final class Up implements Callable<Integer> {
    @Option(names = "--topology", paramLabel = "FILE", description = "Topology file (default: lab/topology.yaml).")
    Path topology;

    @Option(names = "--size", paramLabel = "GROUP=N", description = "Override a group's node count, e.g. --size LB7=2 (repeatable).")
    List<String> sizes = new ArrayList<>();

    @Option(names = "--replace", description = "Tear down a lab that is already up (or half-built) first.")
    boolean replace;

    @Option(names = "--no-l7", description = "Do not start l7-agent and HAProxy (network and nginx only).")
    boolean noL7;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
        description = "How long to wait for the services to answer (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--keep-on-failure", description = "Leave a lab that failed to come up in place for inspection.")
    boolean keepOnFailure;

    @Option(names = "--halt-after", hidden = true, defaultValue = "-1",
        description = "Tests only: halt the JVM once the journal holds N resources (crash simulation).")
    int haltAfter;

    @Override
    public Integer call() throws Exception {
      requireRoot();
      Path root = ProjectRoot.find();
      Path file = topology != null ? topology : root.resolve("lab/topology.yaml");
      Map<String, Integer> parsed = parseSizes(sizes);
      Topology.load(file, parsed); // report a bad topology before anything else
      boolean l7 = !noL7;
      return guarded(() -> new LabUp(root, LabPaths.standard(), System.out).run(new LabUp.Options(file, parsed, replace,
          l7, Duration.ofSeconds(timeoutSeconds), keepOnFailure, haltAfter)));
    }
  }

  @Command(name = "down", mixinStandardHelpOptions = true,
      description = "Stop every recorded process and remove every namespace and directory the lab created (idempotent).")
  static final class Down implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      requireRoot();
      return guarded(() -> new LabDown(LabPaths.standard(), System.out).run());
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"One screen across the tiers: the nodes and their processes, each router's next hops per"
          + " service address, the reflectors' BGP sessions and what each speaker announces, each director's LB7s"
          + " (state, weight, flows), each HAProxy's servers (status, weight, sessions), each DNS resource (state,"
          + " TTL); anything unhealthy marked with !.",
          "Exit 0 all alive and healthy, 1 something dead, missing or unhealthy, 3 no lab (with --watch: of the last"
              + " screen)."})
  static final class Status implements Callable<Integer> {
    @Option(names = "--json", description = "The same as JSON.")
    boolean json;

    @Option(names = "--nodes", description = "Only the nodes: namespaces, addresses and processes, a row each.")
    boolean nodes;

    @Option(names = "--watch", arity = "0..1", fallbackValue = "2", paramLabel = "SECONDS",
        description = {"Take the view again every SECONDS (default 2, 1 to 3600) until Ctrl-C, as watch(1) does: on a"
            + " terminal in place, the lines that changed since the previous screen in reverse video; elsewhere one"
            + " screen after the other under a # line with the time; with --json one JSON object per line (JSON"
            + " Lines), each with the time it was taken (\"taken\")."})
    String watch;

    @Option(names = "--count", paramLabel = "N", description = "With --watch: stop after N screens.")
    String count;

    @Override
    public Integer call() throws Exception {
      requireRoot();
      return guarded(() -> {
        if (watch == null) {
          if (count != null) {
            throw new ServiceMain.UserError("--count " + count + " needs --watch");
          }
          StatusWatch.Screen screen = screen(null);
          System.out.print(screen.text());
          return screen.exitCode();
        }
        Duration interval;
        try {
          interval = StatusWatch.parseInterval(watch);
        } catch (IllegalArgumentException e) {
          throw new ServiceMain.UserError(e.getMessage());
        }
        long screens = parseCount(count);
        StatusWatch.Output output = json ? StatusWatch.Output.JSON_LINES
            : System.console() != null ? StatusWatch.Output.TERMINAL : StatusWatch.Output.TEXT;
        return StatusWatch.of(interval, screens, output, System.out).run(this::screen);
      });
    }

    /** One screen of the view; {@code taken} non-null when watching: JSON in one line, with the time. */
    StatusWatch.Screen screen(Instant taken) throws Exception {
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
      LabStatus.View view = LabStatus.read(LabPaths.standard());
      int code = LabStatus.exitCode(view);
      if (nodes || !view.up()) {
        LabStatus.print(view, json, out);
      } else {
        TierView tiers = TierView.collect(Topology.load(Path.of(view.topology()),
            requireLab(LabPaths.standard()).sizes()));
        if (json) {
          out.println(TierViewJson.render(view, tiers));
        } else {
          LabStatus.printSummary(view, out);
          out.print(TierViewText.render(tiers, System.console() != null));
        }
        code = code != 0 ? code : tiers.healthy() ? 0 : 1;
      }
      String shown = text.toString(StandardCharsets.UTF_8);
      if (json && taken != null) {
        ObjectNode line = ConfigLoader.json().createObjectNode().put("taken", taken.toString());
        line.setAll((ObjectNode) ConfigLoader.json().readTree(shown));
        shown = line + "\n";
      }
      return new StatusWatch.Screen(shown, code);
    }
  }

  /** {@code --count}: screens to show, 0 (no limit) when absent. */
  static long parseCount(String text) {
    if (text == null) {
      return 0;
    }
    if (!text.matches("[1-9]\\d{0,8}")) {
      throw new ServiceMain.UserError("--count " + text + " (expected: a whole number of screens from 1 to 999999999)");
    }
    return Long.parseLong(text);
  }

  @Command(name = "exec", mixinStandardHelpOptions = true,
      description = "Run a command inside a node's namespace (ip netns exec: /etc/lb is the node's). Exit code passes through.")
  static final class ExecIn implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NODE")
    String node;

    @Parameters(index = "1..*", paramLabel = "CMD", arity = "1..*", description = "The command (put -- before it).")
    List<String> command;

    @Override
    public Integer call() throws Exception {
      requireRoot();
      requireNode(requireLab(LabPaths.standard()), node);
      ProcessBuilder pb = new ProcessBuilder(Netns.execArgv(node, command)).inheritIO();
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new LabFailure("cannot run ip netns exec: " + e.getMessage());
      }
      return p.waitFor();
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "Print a node's log files (-f follows them).")
  static final class Logs implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NODE")
    String node;

    @Option(names = {"-f", "--follow"}, description = "Keep printing as the logs grow.")
    boolean follow;

    @Override
    public Integer call() throws Exception {
      requireRoot();
      LabPaths paths = LabPaths.standard();
      requireNode(requireLab(paths), node);
      Path dir = paths.node(node).log();
      List<String> files;
      try (Stream<Path> list = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
        files = list.filter(Files::isRegularFile).map(Path::toString).sorted().toList();
      }
      if (files.isEmpty()) {
        System.out.println(node + " has no log files (" + dir + ")");
        return 0;
      }
      List<String> tail = new ArrayList<>(List.of("tail", "-n", "+1"));
      if (follow) {
        tail.add("-F");
      }
      tail.addAll(files);
      return new ProcessBuilder(tail).inheritIO().start().waitFor();
    }
  }

  @Command(name = "clients", mixinStandardHelpOptions = true,
      description = {"Client load from the users node to the VIPs: long /10M downloads read slowly and short requests,"
          + " each from the next of the 200 IPv4 / IPv6 user addresses. A live line per second on stderr; at the end"
          + " (after --duration, or Ctrl-C) every connection is waited for and a JSON summary is printed on stdout:"
          + " started, completed, failed by reason (reset, refused, timeout, short_body, bad_content, http_status,"
          + " unreachable, other) and the failed connections. Exit 0 when nothing failed."})
  static final class Clients implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    org.example.lb.lab.load.LoadOptions options = new org.example.lb.lab.load.LoadOptions();

    @Option(names = "--connections", paramLabel = "FILE",
        description = "Also write every connection, one JSON object per line (the path is opened inside the users node's mount namespace, which sees the host's files).")
    Path connections;

    @Option(names = "--node", paramLabel = "NODE", defaultValue = "users", description = "The client node (default: ${DEFAULT-VALUE}).")
    String node;

    @Override
    public Integer call() throws Exception {
      requireRoot();
      LabState state = requireLab(LabPaths.standard());
      requireNode(state, node);
      Path file = Path.of(state.topology());
      options.settings(Topology.load(file, state.sizes())); // a bad option is one line here, before anything starts
      List<String> argv = org.example.lb.lab.load.ClientProcess.command(node, file, options,
          java.util.Optional.ofNullable(connections).map(Path::toAbsolutePath), false, false);
      Process p = new ProcessBuilder(argv).inheritIO().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        // Ctrl-C reaches the load too (same process group); wait for its summary
        try {
          p.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      return p.waitFor();
    }
  }

  @Command(name = "disrupt", mixinStandardHelpOptions = true,
      description = {"Runs a disruption under client load (the load of bin/lab clients) and reports the connections"
          + " it broke against the expectation: 0 for planned operations and L4 changes, only the victim's for an LB7"
          + " or server crash, only connections that got no answer for an LB4 losing power. Restores the lab"
          + " afterwards. Exit 0 when every expectation was met.",
          "Scenarios: lb4-disable, lb4-crash, lb4-power-off, lb4-add, router-nexthop, lb7-drain, lb7-crash, lb7-add, server-drain,"
              + " server-crash, server-add, lb7-add-lb4-remove; or all."})
  static final class Disrupt implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "SCENARIO", description = "A scenario name, or all.")
    List<String> scenarios;

    @picocli.CommandLine.Mixin
    org.example.lb.lab.load.LoadOptions options = new org.example.lb.lab.load.LoadOptions();

    @Option(names = "--before", paramLabel = "SECONDS", defaultValue = "4",
        description = "Load before the event (default: ${DEFAULT-VALUE}).")
    int before;

    @Option(names = "--after", paramLabel = "SECONDS", defaultValue = "5",
        description = "Load after the event's last step (default: ${DEFAULT-VALUE}).")
    int after;

    @Option(names = "--between", paramLabel = "SECONDS", defaultValue = "3",
        description = "Pause between the steps of two-step events (default: ${DEFAULT-VALUE}).")
    int between;

    @Option(names = "--json", description = "Print the reports as JSON.")
    boolean json;

    @Option(names = "--markdown", description = "Also print the table of the README (one row per scenario).")
    boolean markdown;

    @Override
    public Integer call() throws Exception {
      requireRoot();
      List<String> names = new ArrayList<>();
      for (String s : scenarios) {
        if (s.equals("all")) {
          names.addAll(org.example.lb.lab.disrupt.Scenarios.names());
        } else if (org.example.lb.lab.disrupt.Scenarios.named(s).isEmpty()) {
          throw new ServiceMain.UserError("unknown scenario " + s + " (expected one of: "
              + String.join(", ", org.example.lb.lab.disrupt.Scenarios.names()) + ", all)");
        } else {
          names.add(s);
        }
      }
      if (before < 1 || after < 0 || between < 0) {
        throw new ServiceMain.UserError("--before " + before + " --after " + after + " --between " + between
            + " (expected: before at least 1 s, the others 0 or more)");
      }
      return guarded(() -> {
        LabPaths paths = LabPaths.standard();
        LabState state = requireLab(paths);
        Path root = ProjectRoot.find();
        Path file = Path.of(state.topology());
        org.example.lb.lab.disrupt.LabActions lab = new org.example.lb.lab.disrupt.LabActions(root, paths,
            Topology.load(file, state.sizes()), new org.example.lb.lab.node.LabServices(paths,
                LabUp.serviceEnvironment(root)));
        org.example.lb.lab.disrupt.DisruptionRun run = new org.example.lb.lab.disrupt.DisruptionRun(lab, file,
            "users", options, Duration.ofSeconds(before), Duration.ofSeconds(after), Duration.ofSeconds(between),
            paths.stateDir().resolve("disrupt"), json ? System.err : System.out);
        return org.example.lb.lab.disrupt.DisruptionMatrix.run(run, names, json, markdown, System.out, System.err);
      });
    }
  }

  @Command(name = "diagram", mixinStandardHelpOptions = true,
      description = "Write the topology as Graphviz DOT and render it to SVG with dot (no root needed).")
  static final class Diagram implements Callable<Integer> {
    @Option(names = "--topology", paramLabel = "FILE", description = "Topology file (default: lab/topology.yaml).")
    Path topology;

    @Option(names = "--size", paramLabel = "GROUP=N", description = "Override a group's node count.")
    List<String> sizes = new ArrayList<>();

    @Option(names = "--output", paramLabel = "DIR", description = "Where topology.dot and topology.svg go (default: docs/).")
    Path output;

    @Override
    public Integer call() throws Exception {
      Path root = ProjectRoot.find();
      Path file = topology != null ? topology : root.resolve("lab/topology.yaml");
      Path dir = output != null ? output : root.resolve("docs");
      Topology t;
      try {
        t = Topology.load(file, parseSizes(sizes));
      } catch (ConfigException e) {
        throw e;
      }
      return guarded(() -> {
        Files.createDirectories(dir);
        Path dot = dir.resolve("topology.dot");
        Path svg = dir.resolve("topology.svg");
        Files.writeString(dot, DotDiagram.render(t));
        Exec.run(List.of("dot", "-Tsvg", "-o", svg.toString(), dot.toString()), Duration.ofMinutes(1)).orThrow();
        System.out.println("wrote " + dot + " and " + svg);
        return 0;
      });
    }
  }

  @Command(name = "bench", mixinStandardHelpOptions = true,
      description = {"Run every benchmark beside its anchor (director vs kernel forwarding: bin/bench-l4; dns-tier vs "
          + "gdnsd: bin/bench-dns; HTTP through the whole stack vs directly to one LB7: wrk from users) and write "
          + "the generated section of docs/benchmarks.md.",
          "L4 and DNS run first; HTTP uses the lab that is up and leaves it up, or brings one up and takes it down."})
  static final class Bench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--only", paramLabel = "PARTS",
        description = "Comma-separated benchmarks to run: l4, dns, http (default: all).")
    String only;

    @Option(names = "--quick", description = "Short runs, one round: a smoke test of the command, marked as such.")
    boolean quick;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds of every benchmark (default: theirs; HTTP 3).")
    String rounds;

    @Option(names = "--output", paramLabel = "FILE",
        description = "The Markdown file whose generated section is replaced (default: docs/benchmarks.md).")
    Path output;

    @Option(names = {"--dry-run", "--no-write"}, description = "Print the generated section; write no file.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
      Set<BenchPart> parts = only == null ? EnumSet.allOf(BenchPart.class) : BenchPart.parseList(only);
      OptionalInt parsedRounds = parseRounds(rounds);
      if (parts.contains(BenchPart.L4) || parts.contains(BenchPart.HTTP)) {
        requireRoot();
      }
      Path root = ProjectRoot.find();
      Path file = output != null ? output.toAbsolutePath() : root.resolve("docs/benchmarks.md");
      List<String> args = spec.commandLine().getParseResult().originalArgs();
      String command = "bin/lab " + String.join(" ", args);
      return guarded(() -> new LabBench(root, LabPaths.standard(), System.out).run(new LabBench.Options(parts, quick,
          parsedRounds, file, !dryRun, command)));
    }
  }

  /** {@code --rounds}'s value: a whole number from 1 to 100, or absent. */
  static OptionalInt parseRounds(String text) {
    if (text == null) {
      return OptionalInt.empty();
    }
    if (!text.matches("[1-9]\\d?|100")) {
      throw new ServiceMain.UserError("--rounds " + text + " (expected: a whole number from 1 to 100)");
    }
    return OptionalInt.of(Integer.parseInt(text));
  }
}
