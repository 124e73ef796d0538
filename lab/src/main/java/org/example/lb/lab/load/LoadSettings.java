package org.example.lb.lab.load;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * What {@link LoadGenerator} sends.
 *
 * @param targets        the VIPs; connections go to each in turn
 * @param sources        client addresses; each connection binds the next one of its target's family
 * @param downloads      long downloads kept running at once (each {@code GET /10M}, read at {@code readRate})
 * @param readRate       bytes per second each download reads (the receive buffer is kept small, so the sender is
 *                       paced by it end to end)
 * @param requestRate    short requests ({@code GET /}, a new connection each) started per second
 * @param duration       how long to start new connections; {@link Duration#ZERO}: until {@link LoadGenerator#stop()}
 * @param connectTimeout how long a connection attempt may take
 * @param idleTimeout    how long a connection may go without receiving a byte
 * @param host           the Host header
 */
public record LoadSettings(List<InetAddress> targets, List<InetAddress> sources, int downloads, long readRate,
    double requestRate, Duration duration, Duration connectTimeout, Duration idleTimeout, String host) {

  public LoadSettings {
    targets = List.copyOf(targets);
    sources = List.copyOf(sources);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("targets: none (expected: at least one VIP)");
    }
    for (InetAddress t : targets) {
      boolean v6 = t instanceof Inet6Address;
      if (sources.stream().noneMatch(s -> (s instanceof Inet6Address) == v6)) {
        throw new IllegalArgumentException("sources: none of the family of target " + t.getHostAddress()
            + " (expected: client addresses of both families the targets use)");
      }
    }
    if (downloads < 0 || downloads > 10_000) {
      throw new IllegalArgumentException("downloads: " + downloads + " (expected: 0..10000)");
    }
    if (readRate < 1024) {
      throw new IllegalArgumentException("readRate: " + readRate + " (expected: at least 1024 bytes/s)");
    }
    if (!(requestRate >= 0 && requestRate <= 10_000)) {
      throw new IllegalArgumentException("requestRate: " + requestRate + " (expected: 0..10000 per second)");
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration: " + duration + " (expected: 0 or more)");
    }
    if (connectTimeout.isZero() || connectTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.isNegative()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }
}
