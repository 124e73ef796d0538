package org.example.lb.lab.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.netns.Exec;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.topology.Cidr;
import org.example.lb.lab.topology.Role;
import org.example.lb.lab.topology.Topology;

/**
 * HTTP requests per second and latency through the whole stack (a VIP: routers, an LB4's director, an LB7's HAProxy,
 * a server) against the same requests sent directly to one LB7 (its fabric address: through the routers but no
 * LB4), per address family, measured with {@code wrk --latency} from the lab's client node. Both sides get the same
 * threads, connections and duration; rounds interleave them, alternating which goes first (round 1: VIP then LB7;
 * round 2: LB7 then VIP; ...), after one warm-up run of each URL; the report shows the medians of the rounds.
 * A benchmark: it measures and reports, it asserts nothing.
 */
public final class HttpBenchmark {
  /** A URL that wrk loads, and what it is in the report. */
  public record Target(String label, String url) {}

  /**
   * One address family's two sides.
   *
   * @param family {@code IPv4} or {@code IPv6}
   * @param stack  through the whole stack: a VIP
   * @param direct directly to one LB7
   */
  public record Pair(String family, Target stack, Target direct) {}

  /**
   * How wrk runs.
   *
   * @param threads     {@code wrk -t}
   * @param connections {@code wrk -c}
   * @param duration    {@code wrk -d} of each measured run
   * @param warmup      {@code wrk -d} of the warm-up run of each URL before round 1 (zero: none)
   * @param rounds      measured runs of each URL
   */
  public record Settings(int threads, int connections, Duration duration, Duration warmup, int rounds) {
    /** wrk's arguments for one run of {@code duration} against {@code url}. */
    public List<String> wrkArguments(String url, Duration duration) {
      return List.of("-t", Integer.toString(threads), "-c", Integer.toString(connections), "-d",
          Math.max(1, duration.toSeconds()) + "s", "--latency", url);
    }
  }

  /** Runs wrk with these arguments and returns what it printed; throws {@link LabFailure} when it failed. */
  @FunctionalInterface
  public interface Wrk {
    String run(List<String> arguments);
  }

  /** One measured run. {@code stack}: the VIP side, else the direct side. */
  public record Measurement(Pair pair, boolean stack, int round, WrkReport report) {}

  /** Every measured run, in the order they ran. */
  public record Result(Settings settings, String clientNode, List<Pair> pairs, List<Measurement> measurements) {
    public Result {
      pairs = List.copyOf(pairs);
      measurements = List.copyOf(measurements);
    }

    /** The report's table: per family, requests/s, latency average, p50, p99 (medians of the rounds), errors. */
    public Comparison comparison() {
      List<Comparison.Row> rows = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      notes.add(String.format(Locale.ROOT, "`wrk -t %d -c %d -d %ds --latency URL` in `%s`; %d round(s), alternating "
          + "which side goes first; medians of the rounds; before round 1 a %ds run of each URL (warm-up)",
          settings.threads(), settings.connections(), settings.duration().toSeconds(), clientNode, settings.rounds(),
          settings.warmup().toSeconds()));
      for (Pair pair : pairs) {
        String f = pair.family() + ": ";
        rows.add(row(f + "requests/s", pair, WrkReport::requestsPerSecond, 1, "", 0, true));
        rows.add(row(f + "latency avg", pair, WrkReport::latencyAvgMicros, 1e3, "ms", 2, true));
        rows.add(row(f + "latency p50", pair, WrkReport::p50Micros, 1e3, "ms", 2, true));
        rows.add(row(f + "latency p99", pair, WrkReport::p99Micros, 1e3, "ms", 2, true));
        rows.add(new Comparison.Row(f + "errors (socket, non-2xx/3xx; all rounds)",
            Quantity.of(runs(pair, true).stream().mapToDouble(WrkReport::errors).sum(), "", 0),
            Quantity.of(runs(pair, false).stream().mapToDouble(WrkReport::errors).sum(), "", 0), false));
        notes.add(String.format(Locale.ROOT, "%s: %s vs %s; requests/s per round: %s vs %s", pair.family(),
            pair.stack().url(), pair.direct().url(), perRound(pair, true), perRound(pair, false)));
      }
      return new Comparison("HTTP: through the whole stack (VIP) vs directly to one LB7", "VIP (whole stack)",
          (pairs.isEmpty() ? "one LB7" : pairs.getFirst().direct().label()) + " (direct)", rows, notes);
    }

    private List<WrkReport> runs(Pair pair, boolean stack) {
      return measurements.stream().filter(m -> m.pair().equals(pair) && m.stack() == stack)
          .map(Measurement::report).toList();
    }

    private Comparison.Row row(String measure, Pair pair, ToDoubleFunction<WrkReport> value, double divisor,
        String unit, int decimals, boolean ratio) {
      return new Comparison.Row(measure,
          Quantity.of(Median.of(runs(pair, true).stream().mapToDouble(value).map(v -> v / divisor).toArray()), unit,
              decimals),
          Quantity.of(Median.of(runs(pair, false).stream().mapToDouble(value).map(v -> v / divisor).toArray()), unit,
              decimals), ratio);
    }

    private String perRound(Pair pair, boolean stack) {
      return String.join(", ", runs(pair, stack).stream()
          .map(r -> Quantity.of(r.requestsPerSecond(), "", 0).text()).toList());
    }
  }

  private final Settings settings;
  private final String clientNode;
  private final List<Pair> pairs;
  private final Wrk wrk;
  private final PrintStream log;

  /**
   * @param clientNode where wrk runs (named in the report)
   * @param wrk        runs wrk there
   * @param log        progress: one line per run
   */
  public HttpBenchmark(Settings settings, String clientNode, List<Pair> pairs, Wrk wrk, PrintStream log) {
    this.settings = settings;
    this.clientNode = clientNode;
    this.pairs = List.copyOf(pairs);
    this.wrk = wrk;
    this.log = log;
  }

  /**
   * The lab's targets: for each family, the topology's first VIP of that family and the first L7 node's address of
   * that family on its first link with an IPv4 address (the fabric).
   *
   * @throws LabFailure when the topology has no L7 node or lacks a VIP or an LB7 address of a family
   */
  public static List<Pair> pairs(Topology topology) {
    Topology.Node lb7 = topology.nodesWithRole(Role.L7).stream().findFirst()
        .orElseThrow(() -> new LabFailure("the topology has no L7 node to compare the VIPs with"));
    Topology.Interface link = lb7.interfaces().stream().filter(i -> i.ipv4().isPresent()).findFirst()
        .orElseThrow(() -> new LabFailure(lb7.name() + " has no link with an IPv4 address"));
    List<Pair> pairs = new ArrayList<>();
    for (boolean v6 : new boolean[] {false, true}) {
      String family = v6 ? "IPv6" : "IPv4";
      Cidr vip = topology.vips().stream().map(Cidr::host).filter(c -> c.isIpv6() == v6).findFirst()
          .orElseThrow(() -> new LabFailure("the topology has no " + family + " VIP"));
      Cidr direct = (v6 ? link.ipv6() : link.ipv4())
          .orElseThrow(() -> new LabFailure(lb7.name() + " has no " + family + " address on " + link.segment()));
      pairs.add(new Pair(family, new Target("VIP " + vip.addressText(), url(vip)),
          new Target(lb7.name(), url(direct))));
    }
    return pairs;
  }

  /** The lab's client node (role client), where wrk runs. */
  public static String clientNode(Topology topology) {
    return topology.nodesWithRole(Role.CLIENT).stream().findFirst()
        .orElseThrow(() -> new LabFailure("the topology has no client node to run wrk in")).name();
  }

  private static String url(Cidr address) {
    return address.isIpv6() ? "http://[" + address.addressText() + "]/" : "http://" + address.addressText() + "/";
  }

  /** wrk inside {@code node}; a failed run (exit code not 0) is a {@link LabFailure} quoting its output. */
  public static Wrk inNode(String node, Duration longestRun) {
    return arguments -> {
      List<String> command = new ArrayList<>(List.of("wrk"));
      command.addAll(arguments);
      Exec.Result result = Netns.exec(node, command, longestRun.plusSeconds(30));
      if (!result.ok()) {
        String said = (result.stderr() + result.stdout()).strip().replace('\n', ' ');
        throw new LabFailure("wrk " + String.join(" ", arguments) + " in " + node + " failed (exit "
            + result.exitCode() + "): " + said);
      }
      return result.stdout() + result.stderr();
    };
  }

  /** Warms up, then runs the rounds; each run is logged as it ends. */
  public Result run() {
    if (!settings.warmup().isZero()) {
      for (Pair pair : pairs) {
        for (Target target : List.of(pair.stack(), pair.direct())) {
          log.printf(Locale.ROOT, "  warm-up  %-24s %s%n", target.label(), target.url());
          parse(target, wrk.run(settings.wrkArguments(target.url(), settings.warmup())));
        }
      }
    }
    List<Measurement> measurements = new ArrayList<>();
    for (int round = 1; round <= settings.rounds(); round++) {
      for (Pair pair : pairs) {
        boolean[] order = round % 2 == 1 ? new boolean[] {true, false} : new boolean[] {false, true};
        for (boolean stack : order) {
          Target target = stack ? pair.stack() : pair.direct();
          WrkReport report = parse(target, wrk.run(settings.wrkArguments(target.url(), settings.duration())));
          measurements.add(new Measurement(pair, stack, round, report));
          log.printf(Locale.ROOT, "  round %d  %-24s %s%n", round, target.label(), report);
        }
      }
    }
    return new Result(settings, clientNode, pairs, measurements);
  }

  /** wrk's report; a {@link LabFailure} when it cannot be read or no request completed (nothing was measured). */
  private static WrkReport parse(Target target, String output) {
    WrkReport report;
    try {
      report = WrkReport.parse(output);
    } catch (IllegalArgumentException e) {
      throw new LabFailure("wrk against " + target.url() + ": " + e.getMessage());
    }
    if (report.requests() == 0) {
      throw new LabFailure("wrk against " + target.url() + ": no request completed (" + report.socketErrors()
          + " socket errors)");
    }
    return report;
  }
}
