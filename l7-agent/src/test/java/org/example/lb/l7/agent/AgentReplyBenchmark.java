package org.example.lb.l7.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import org.example.lb.common.metrics.Metrics;

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
      byte[] buf = new byte[1024];
      for (int i = 0; i < Math.max(count / 10, 100); i++) {
        once(target, buf);
      }
      long[] nanos = new long[count];
      for (int i = 0; i < count; i++) {
        nanos[i] = once(target, buf);
      }
      Arrays.sort(nanos);
      System.out.printf("%s: %d connections, reply latency (connect to line received) in us: "
              + "p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n", target, count, pct(nanos, 50),
          pct(nanos, 90), pct(nanos, 99), pct(nanos, 99.9), nanos[count - 1] / 1000.0);
    } finally {
      if (own != null) {
        own.close();
      }
    }
  }

  private static long once(InetSocketAddress target, byte[] buf) throws IOException {
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      s.setSoLinger(true, 0); // close with a reset like HAProxy, leaving no TIME_WAIT behind
      s.connect(target, 1000);
      s.setSoTimeout(1000);
      InputStream in = s.getInputStream();
      int len = 0;
      while (len == 0 || buf[len - 1] != '\n') {
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          throw new IOException("connection closed before a full line: " + len + " bytes");
        }
        len += n;
      }
      return System.nanoTime() - start;
    }
  }

  private static double pct(long[] sorted, double p) {
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1000.0;
  }
}
