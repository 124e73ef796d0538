package org.example.lb.l7.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.l7.testing.AgentReplyTimer;
import org.example.lb.l7.testing.Latencies;

/**
 * Reply latency of an agent-check server as HAProxy sees it: connect, read the line, close (with a reset,
 * as HAProxy does). Not a test: run it by hand.
 *
 * <pre>
 * bin/build -q -pl l7-agent -am test-compile
 * . bin/lib/jdk.sh &amp;&amp; "$JAVA" -cp l7-agent/target/test-classes:l7-agent/target/classes:common/target/classes \
 *     org.example.lb.l7.agent.AgentReplyBenchmark [HOST PORT] [CONNECTIONS]
 * </pre>
 *
 * Without HOST and PORT it starts a server in-process on 127.0.0.1. CONNECTIONS defaults to 20000 (after
 * 2000 warm-up connections). Prints p50/p90/p99/p99.9/max in microseconds.
 */
public final class AgentReplyBenchmark {
  private AgentReplyBenchmark() {}

  public static void main(String[] args) throws IOException {
    AgentCheckServer own = null;
    InetSocketAddress target;
    int count = 20_000;
    if (args.length >= 2) {
      target = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
      if (args.length >= 3) {
        count = Integer.parseInt(args[2]);
      }
    } else {
      if (args.length == 1) {
        count = Integer.parseInt(args[0]);
      }
      own = AgentCheckServer.start(AgentCheckServer.Settings.of(InetAddress.getLoopbackAddress(), 0),
          AgentReply.DEFAULT.withAdministrative(AgentReply.Administrative.DRAIN).withWeightPercent(50),
          new Metrics());
      target = own.address();
    }
    try {
      Latencies nanos = AgentReplyTimer.measure(target, count);
      System.out.printf("%s: %d connections, reply latency (connect to line received) in us: "
              + "p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n", target, count, micros(nanos, 50),
          micros(nanos, 90), micros(nanos, 99), micros(nanos, 99.9), nanos.max() / 1000.0);
    } finally {
      if (own != null) {
        own.close();
      }
    }
  }

  private static double micros(Latencies nanos, double p) {
    return nanos.percentile(p) / 1000.0;
  }
}
