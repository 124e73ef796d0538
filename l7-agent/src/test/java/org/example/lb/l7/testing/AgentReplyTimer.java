package org.example.lb.l7.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Times an agent's reply as HAProxy's agent check sees it: connect, read one line, close with a reset (no
 * TIME_WAIT left behind). For benchmarks.
 */
public final class AgentReplyTimer {
  private AgentReplyTimer() {}

  /**
   * Makes {@code max(100, count / 10)} warm-up connections to {@code target}, then {@code count} timed ones; their
   * latencies from connect to the line's newline.
   */
  public static Latencies measure(InetSocketAddress target, int count) throws IOException {
    byte[] buf = new byte[1024];
    for (int i = 0; i < Math.max(100, count / 10); i++) {
      once(target, buf);
    }
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      nanos[i] = once(target, buf);
    }
    return Latencies.of(nanos);
  }

  private static long once(InetSocketAddress target, byte[] buf) throws IOException {
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      s.setSoLinger(true, 0); // close with a reset like HAProxy
      s.connect(target, 1000);
      s.setSoTimeout(2000);
      InputStream in = s.getInputStream();
      int len = 0;
      while (len == 0 || buf[len - 1] != '\n') {
        if (len == buf.length) {
          throw new IOException("agent on " + target + " sent " + len + " bytes without a newline");
        }
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          throw new IOException("agent on " + target + " closed before a full line: " + len + " bytes");
        }
        len += n;
      }
      return System.nanoTime() - start;
    }
  }
}
