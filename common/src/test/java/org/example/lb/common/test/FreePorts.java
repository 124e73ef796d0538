package org.example.lb.common.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Distinct TCP ports of 127.0.0.1 that were free a moment ago (the caller binds them; a race is retried there). */
public final class FreePorts {
  private FreePorts() {}

  /** One port. */
  public static int one() {
    return take(1)[0];
  }

  /** {@code n} distinct ports: all are held open together while chosen, so none is returned twice. */
  public static int[] take(int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // only probing
        }
      }
    }
  }
}
