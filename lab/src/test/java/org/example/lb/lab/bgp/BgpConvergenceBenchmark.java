package org.example.lb.lab.bgp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.example.lb.common.test.Poll;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.LabUp;
import org.example.lb.lab.netns.Exec;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.node.LabServices;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.state.Resource;
import org.example.lb.lab.topology.Topology;

/**
 * How fast the routers' FIB follows an LB4 (docs/benchmarks.md, "BGP tier: convergence"; run by {@code bin/bench-bgp}
 * against a running lab). Each event is done to LB4-2 as an operator or a failure would; a watcher started inside R1
 * beforehand spins on {@code ip route show} and prints the wall-clock time at which R1's route to 198.51.100.1 gained
 * or lost LB4-2's next hop. Times are from just before the event to that moment (a few ms of resolution).
 */
public final class BgpConvergenceBenchmark {
  private static final String ROUTER = "R1";
  private static final String LB4 = "LB4-2";
  private static final String VIP = "198.51.100.1";
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private final LabServices services;
  private final String nextHop;
  private final List<String> rows = new ArrayList<>();
  private final java.util.Random random = new java.util.Random();

  private BgpConvergenceBenchmark(Path root, Topology topology) {
    this.services = new LabServices(LabPaths.standard(), LabUp.serviceEnvironment(root));
    this.nextHop = BgpTier.fabricIpv4(topology.node(LB4).orElseThrow()).addressText();
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path root = Path.of("").toAbsolutePath();
    Topology topology = Topology.load(root.resolve("lab/topology.yaml"), Map.of());
    BgpConvergenceBenchmark b = new BgpConvergenceBenchmark(root, topology);
    b.await(true);
    System.out.printf("BGP convergence on %s for %s via %s (%s), %d rounds each%n", ROUTER, VIP, LB4, b.nextHop,
        rounds);
    b.flagFile(rounds);
    b.speakerStopped(rounds);
    b.gobgpdKilled(rounds);
    b.silentDeath(Math.min(rounds, 3));
    b.speakerKilled(Math.min(rounds, 3));
    System.out.println();
    System.out.printf("%-48s %8s %8s %8s%n", "event → R1's FIB", "median", "max", "n");
    b.rows.forEach(System.out::println);
  }

  // ---- events ----

  private void flagFile(int rounds) {
    List<Long> gone = new ArrayList<>();
    List<Long> back = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      gone.add(timed(false, () -> sh(LB4, "touch /etc/lb/disable")));
      back.add(timed(true, () -> sh(LB4, "rm /etc/lb/disable")));
    }
    row("touch /etc/lb/disable → next hop gone", gone);
    row("rm /etc/lb/disable → next hop back", back);
  }

  private void speakerStopped(int rounds) throws Exception {
    List<Long> gone = new ArrayList<>();
    List<Long> back = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      Resource.Process[] stopped = new Resource.Process[1];
      gone.add(timed(false, () -> stopped[0] = stop("bgp-speaker", Duration.ofSeconds(10))));
      back.add(timed(true, () -> start(stopped[0])));
    }
    row("speaker SIGTERM (withdraws, exits) → gone", gone);
    row("speaker started → back", back);
  }

  private void gobgpdKilled(int rounds) throws Exception {
    List<Long> gone = new ArrayList<>();
    List<Long> back = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      Resource.Process[] killed = new Resource.Process[1];
      gone.add(timed(false, () -> killed[0] = kill("gobgpd")));
      back.add(timed(true, () -> start(killed[0])));
    }
    row("gobgpd SIGKILL → gone", gone);
    row("gobgpd restarted (speaker restores it) → back", back);
  }

  /** The LB4 stays up but BGP packets vanish both ways: only the hold timer can tell. */
  private void silentDeath(int rounds) throws InterruptedException {
    List<Long> gone = new ArrayList<>();
    List<Long> back = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      // The reflectors' hold timers run from the last keepalive they got, and the LB4 sends one every 3 s from its
      // session's start. Sessions have just come back (the previous event's rejoin): start at a random phase of that
      // cycle, not in step with it (in step, every round measured the same 9 s).
      Thread.sleep(3000 + random.nextInt(3000));
      gone.add(timed(false, () -> sh(LB4, "nft add table inet benchbgp && nft add chain inet benchbgp in "
          + "'{ type filter hook input priority 0; }' && nft add chain inet benchbgp out "
          + "'{ type filter hook output priority 0; }' && nft add rule inet benchbgp in tcp sport 179 drop && "
          + "nft add rule inet benchbgp out tcp dport 179 drop")));
      back.add(timed(true, () -> sh(LB4, "nft delete table inet benchbgp")));
    }
    row("BGP silently dropped (hold time 9 s) → gone", gone);
    row("BGP let through again → back", back);
  }

  /**
   * A crashed speaker leaves gobgpd announcing: the route must stay (measured: it does), until the speaker is back.
   * Started again while gobgpd kept running, the new speaker wants no route until its health check is UP, and its
   * first round makes gobgpd hold what it wants: the next hop leaves and comes back (measured from the start).
   */
  private void speakerKilled(int rounds) throws Exception {
    int kept = 0;
    List<Long> gone = new ArrayList<>();
    List<Long> back = new ArrayList<>();
    Duration watched = Duration.ofSeconds(15);
    for (int i = 0; i < rounds; i++) {
      await(true);
      Resource.Process killed = kill("bgp-speaker");
      if (watcher(false, watched).join() == null) {
        kept++;
      }
      CompletableFuture<long[]> gap = gapWatcher(Duration.ofSeconds(10));
      long start = System.currentTimeMillis();
      start(killed);
      long[] leftAndBack = gap.join();
      if (leftAndBack != null) {
        gone.add(leftAndBack[0] - start);
        back.add(leftAndBack[1] - start);
      }
    }
    rows.add(String.format("%-48s %s", "speaker SIGKILL → (watched " + watched.toSeconds() + " s)",
        "next hop kept " + kept + " of " + rounds + " times: gobgpd still announces"));
    if (gone.isEmpty()) {
      rows.add(String.format("%-48s %s", "speaker started again (gobgpd kept)", "no change within 10 s"));
    } else {
      row("speaker started again (gobgpd kept) → gone", gone);
      row("  … and back (from the start)", back);
    }
  }

  // ---- measuring ----

  /** Runs {@code event} and returns the ms until R1's route has ({@code present}) or lacks LB4-2's next hop. */
  private long timed(boolean present, ThrowingRunnable event) {
    await(!present);
    CompletableFuture<Long> seen = watcher(present, LIMIT);
    long start = System.currentTimeMillis();
    try {
      event.run();
    } catch (Exception e) {
      throw new LabFailure(e.toString());
    }
    Long at = seen.join();
    if (at == null) {
      throw new LabFailure("R1's route to " + VIP + " did not " + (present ? "regain" : "lose") + " " + nextHop
          + " within " + LIMIT.toSeconds() + " s");
    }
    return at - start;
  }

  /**
   * Starts a watcher inside R1 that prints the time (ms since the epoch) at which the next hop is {@code present}
   * (or absent); completes with null if that does not happen within {@code limit}. Returns once it is watching.
   */
  private CompletableFuture<Long> watcher(boolean present, Duration limit) {
    Path ready;
    try {
      ready = Files.createTempFile("bench-bgp-watcher", ".ready");
      Files.delete(ready);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String test = "ip route show " + VIP + " | grep -q 'via " + nextHop + " '";
    String script = "end=$(( $(date +%s) + " + limit.toSeconds() + " )); touch " + ready + "; "
        + "while " + (present ? "! " : "") + "{ " + test + "; }; do [ $(date +%s) -lt $end ] || exit 1; done; "
        + "date +%s%3N";
    CompletableFuture<Long> result = CompletableFuture.supplyAsync(() -> {
      Exec.Result r = Netns.exec(ROUTER, List.of("sh", "-c", script), limit.plusSeconds(10));
      return r.exitCode() == 0 ? Long.parseLong(r.stdout().strip()) : null;
    });
    // The watcher's own start-up (ip netns exec, sh) must not count: the event waits until it spins.
    Poll.until(Duration.ofSeconds(10), "the watcher in " + ROUTER + " to start", () -> Files.exists(ready));
    try {
      Files.delete(ready);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return result;
  }

  /**
   * Starts a watcher inside R1 that waits for the next hop to disappear within {@code limit} and then to come back
   * (within {@link #LIMIT}); completes with both times (ms since the epoch), or null if it did not disappear.
   */
  private CompletableFuture<long[]> gapWatcher(Duration limit) throws IOException {
    Path ready = Files.createTempFile("bench-bgp-watcher", ".ready");
    Files.delete(ready);
    String test = "ip route show " + VIP + " | grep -q 'via " + nextHop + " '";
    String script = "end=$(( $(date +%s) + " + limit.toSeconds() + " )); touch " + ready + "; "
        + "while { " + test + "; }; do [ $(date +%s) -lt $end ] || exit 1; done; gone=$(date +%s%3N); "
        + "end=$(( $(date +%s) + " + LIMIT.toSeconds() + " )); "
        + "while ! { " + test + "; }; do [ $(date +%s) -lt $end ] || exit 1; done; echo $gone $(date +%s%3N)";
    CompletableFuture<long[]> result = CompletableFuture.supplyAsync(() -> {
      Exec.Result r = Netns.exec(ROUTER, List.of("sh", "-c", script), limit.plus(LIMIT).plusSeconds(10));
      if (r.exitCode() != 0) {
        return null;
      }
      String[] t = r.stdout().strip().split(" ");
      return new long[] {Long.parseLong(t[0]), Long.parseLong(t[1])};
    });
    Poll.until(Duration.ofSeconds(10), "the watcher in " + ROUTER + " to start", () -> Files.exists(ready));
    Files.delete(ready);
    return result;
  }

  private void await(boolean present) {
    Long at = watcher(present, LIMIT).join();
    if (at == null) {
      throw new LabFailure(ROUTER + ": " + VIP + " never " + (present ? "gained" : "lost") + " " + nextHop);
    }
  }

  private Resource.Process stop(String service, Duration grace) throws Exception {
    return services.stop(LB4, service, grace);
  }

  /** SIGKILL to the recorded process (no chance to say goodbye); the lab forgets it until {@link #start}. */
  private Resource.Process kill(String service) throws Exception {
    return services.kill(LB4, service);
  }

  private void start(Resource.Process process) throws Exception {
    services.start(process);
  }

  private static void sh(String node, String script) {
    Exec.Result r = Netns.exec(node, List.of("sh", "-c", script), Duration.ofSeconds(30));
    if (r.exitCode() != 0) {
      throw new LabFailure(node + ": " + script + ": " + r.stderr().strip());
    }
  }

  private void row(String event, List<Long> millis) {
    List<Long> sorted = millis.stream().sorted().toList();
    rows.add(String.format("%-48s %6d ms %6d ms %8d", event, sorted.get(sorted.size() / 2), sorted.getLast(),
        sorted.size()));
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
