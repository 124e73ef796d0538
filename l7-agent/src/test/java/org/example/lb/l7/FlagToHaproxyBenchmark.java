package org.example.lb.l7;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.example.lb.common.test.ChildProcess;
import org.example.lb.l7.agent.AgentCheckServer;
import org.example.lb.l7.runtime.ServerAdminState;
import org.example.lb.l7.testing.AgentReplyTimer;
import org.example.lb.l7.testing.HaproxyProcess;
import org.example.lb.l7.testing.Latencies;

/**
 * How long a change of a server's flag file takes to show in HAProxy's {@code show servers state}, with and without
 * the controller, and how fast an agent answers. Not a test: run it by hand on an otherwise quiet machine.
 *
 * <pre>
 * bin/build -q -pl l7-agent -am package -DskipTests
 * . bin/lib/jdk.sh &amp;&amp; "$JAVA" --enable-native-access=ALL-UNNAMED \
 *     -cp "l7-agent/target/test-classes:l7-agent/target/classes:common/target/test-classes:l7-agent/target/lib/*" \
 *     org.example.lb.l7.FlagToHaproxyBenchmark [CHANGES] [CONNECTIONS]
 * </pre>
 *
 * <p>One {@link LoopbackTier} (real nginx, real HAProxy 2.6 with {@code agent-inter 500ms}) serves three phases of
 * CHANGES (default 200) flag-file changes of s1, alternating {@code drain} and {@code ready}, each after a random
 * pause of 0-500 ms so the changes do not fall into step with HAProxy's check timer:
 * <ol>
 *   <li>controller: {@code l7-agent run}'s controller pushes the change (HAProxy's agent check runs too);
 *   <li>agent check: the controller stopped, HAProxy's own agent check against l7-agent's agent;
 *   <li>socat: the reference setup, {@code socat TCP-LISTEN:<port>,fork SYSTEM:'cat <flag file>'} as s1's agent,
 *       read by HAProxy's agent check (skipped if socat is not installed).
 * </ol>
 * A change's latency runs from just before the rename of the flag file to the first {@code show servers state} that
 * shows it; the polling loop's own cost (one CLI round trip) is printed as the resolution. Then CONNECTIONS (default
 * 2000) agent-check connections measure an agent's reply latency (connect to line received, closed with a reset as
 * HAProxy does) for l7-agent's agent and for socat.
 */
public final class FlagToHaproxyBenchmark {
  private static final Duration AGENT_INTERVAL = Duration.ofMillis(500);
  private static final Path SOCAT = Path.of("/usr/bin/socat");

  private FlagToHaproxyBenchmark() {}

  private record Row(String name, Latencies nanos) {
    Row(String name, long[] nanos) {
      this(name, Latencies.of(nanos));
    }
  }

  public static void main(String[] args) throws Exception {
    int changes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    for (Path tool : List.of(Path.of("/usr/sbin/nginx"), HaproxyProcess.configuredBinary())) {
      if (!Files.isExecutable(tool)) {
        System.err.println("error: " + tool + " is not installed (bin/install-deps installs it)");
        System.exit(1);
      }
    }
    Path dir = Files.createTempDirectory("flag-to-haproxy-");
    List<Row> latency = new ArrayList<>();
    List<Row> replies = new ArrayList<>();
    long resolution;
    String version;
    ChildProcess socat = null;
    LoopbackTier tier = LoopbackTier.start(dir, LoopbackTier.Settings.defaults().withAgentInterval(AGENT_INTERVAL));
    try {
      version = tier.runtime().showInfo().version();
      resolution = pollCost(tier);
      SplittableRandom random = new SplittableRandom(7);
      System.out.printf("phase 1/3: %d changes with the controller...%n", changes);
      long[] served = new long[changes];
      latency.add(new Row("controller push (+ agent check)", measure(tier, changes, random, served)));
      latency.add(new Row("  of which flag file -> agent reply", served));
      tier.stopController();
      System.out.printf("phase 2/3: %d changes through HAProxy's agent check alone...%n", changes);
      latency.add(new Row("HAProxy agent check, l7-agent", measure(tier, changes, random, null)));
      replies.add(new Row("l7-agent agent (s2)", agentReplies(tier.server("s2").agentPort, connections)));
      if (Files.isExecutable(SOCAT)) {
        LoopbackTier.Server s1 = tier.server("s1");
        tier.stopAgent("s1");
        socat = ChildProcess.start("socat", List.of(SOCAT.toString(),
            "TCP-LISTEN:" + s1.agentPort + ",bind=127.0.0.1,reuseaddr,fork", "SYSTEM:cat " + s1.flagFile()),
            dir.resolve("socat.log"));
        System.out.printf("phase 3/3: %d changes through HAProxy's agent check of socat...%n", changes);
        latency.add(new Row("HAProxy agent check, socat", measure(tier, changes, random, null)));
        replies.add(new Row("socat fork + cat", agentReplies(s1.agentPort, connections)));
      }
    } finally {
      if (socat != null) {
        socat.stop();
      }
      tier.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.out.printf("%nHAProxy %s, agent-inter %d ms, %d CPUs; %d flag changes per row (drain/ready alternating)%n",
        version, AGENT_INTERVAL.toMillis(), Runtime.getRuntime().availableProcessors(), changes);
    System.out.printf("flag file -> HAProxy server state, ms (poll resolution %.2f ms)%n", resolution / 1e6);
    table(latency, 1e6, "%8.1f");
    System.out.printf("%nagent reply (connect -> line), us, %d connections per row%n", connections);
    table(replies, 1e3, "%8.0f");
  }

  /** Mean time of one {@code show servers state servers}: the resolution of the polling loop. */
  private static long pollCost(LoopbackTier tier) {
    int n = 200;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      tier.admin("s1");
    }
    return (System.nanoTime() - start) / n;
  }

  /**
   * Changes s1's flag {@code changes} times; returns each change's latency to HAProxy, and if {@code served} is
   * given, fills it with each change's latency to s1's agent serving it.
   */
  private static long[] measure(LoopbackTier tier, int changes, SplittableRandom random, long[] served)
      throws Exception {
    long[] nanos = new long[changes];
    AtomicLong servedAt = new AtomicLong();
    AgentCheckServer.Subscription subscription = served == null ? null
        : tier.server("s1").agent.server().subscribe(reply -> servedAt.set(System.nanoTime()));
    ServerAdminState current = tier.admin("s1");
    for (int i = 0; i < changes; i++) {
      boolean drain = current != ServerAdminState.DRAIN;
      ServerAdminState want = drain ? ServerAdminState.DRAIN : ServerAdminState.READY;
      Thread.sleep(random.nextInt((int) AGENT_INTERVAL.toMillis())); // de-phase from HAProxy's check timer
      long start = System.nanoTime();
      tier.writeServerFlag("s1", drain ? "drain\n" : "ready\n");
      long deadline = start + Duration.ofSeconds(10).toNanos();
      while (tier.admin("s1") != want) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("change " + i + " to " + want + " not seen in 10 s");
        }
      }
      nanos[i] = System.nanoTime() - start;
      if (served != null) {
        served[i] = servedAt.get() - start;
      }
      current = want;
    }
    if (subscription != null) {
      subscription.close();
    }
    return nanos;
  }

  private static Latencies agentReplies(int port, int count) throws IOException {
    return AgentReplyTimer.measure(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), count);
  }

  private static void table(List<Row> rows, double unit, String cell) {
    System.out.printf("%-34s %8s %8s %8s %8s %8s%n", "", "p50", "p90", "p99", "max", "mean");
    for (Row r : rows) {
      Latencies v = r.nanos();
      System.out.printf("%-34s " + cell + " " + cell + " " + cell + " " + cell + " " + cell + "%n", r.name(),
          v.percentile(50) / unit, v.percentile(90) / unit, v.percentile(99) / unit, v.max() / unit,
          v.mean() / unit);
    }
  }
}
