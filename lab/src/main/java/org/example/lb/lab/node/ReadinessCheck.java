package org.example.lb.lab.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.example.lb.lab.netns.Exec;
import org.example.lb.lab.netns.Netns;

/**
 * A probe run inside a node's namespace until it exits 0.
 *
 * @param node        where it runs
 * @param description what it proves, e.g. "nginx /healthcheck"
 * @param command     the probe; exit 0 means ready
 */
public record ReadinessCheck(String node, String description, List<String> command) {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  /** HTTP GET answered with status 200 ({@code extraCurlArgs} e.g. --haproxy-protocol). */
  public static ReadinessCheck http(String node, String description, String url, String... extraCurlArgs) {
    List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-f", "-o", "/dev/null", "--max-time", "2"));
    cmd.addAll(List.of(extraCurlArgs));
    cmd.add(url);
    return new ReadinessCheck(node, description, cmd);
  }

  /** A TCP connection to {@code address}:{@code port} is accepted. */
  public static ReadinessCheck tcp(String node, String description, String address, int port) {
    return new ReadinessCheck(node, description, List.of("timeout", "2", "bash", "-c",
        "exec 3<>/dev/tcp/" + address + "/" + port));
  }

  /**
   * Probes every check in parallel, every {@code interval}, until all passed or {@code deadline}
   * elapsed. Returns the checks that never passed.
   */
  public static List<ReadinessCheck> awaitAll(List<ReadinessCheck> checks, Duration deadline, Duration interval) {
    long end = System.nanoTime() + deadline.toNanos();
    List<ReadinessCheck> failed = new ArrayList<>();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Boolean>> results = new ArrayList<>();
      for (ReadinessCheck check : checks) {
        results.add(executor.submit(() -> check.pollUntil(end, interval)));
      }
      for (int i = 0; i < checks.size(); i++) {
        try {
          if (!results.get(i).get()) {
            failed.add(checks.get(i));
          }
        } catch (Exception e) {
          failed.add(checks.get(i));
        }
      }
    }
    return failed;
  }

  private boolean pollUntil(long endNanos, Duration interval) throws InterruptedException {
    while (true) {
      if (probe()) {
        return true;
      }
      if (System.nanoTime() > endNanos) {
        return false;
      }
      Thread.sleep(interval);
    }
  }

  /** Runs the probe once. */
  public boolean probe() {
    try {
      return Netns.exec(node, command, PROBE_TIMEOUT).ok();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return node + ": " + description;
  }
}
