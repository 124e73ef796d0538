package org.example.lb.common.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fault nginx cannot produce: a TCP listener on 127.0.0.1 that accepts every connection and never sends a byte
 * (a hung server). Connections stay open until {@link #close}.
 */
public final class SilentListener implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private SilentListener(ServerSocket server) {
    this.server = server;
    this.acceptor = Thread.ofVirtual().name("silent-listener").start(this::acceptForever);
  }

  public static SilentListener start() {
    try {
      return new SilentListener(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void acceptForever() {
    while (!server.isClosed()) {
      try {
        accepted.add(server.accept());
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  /** Connections accepted so far. */
  public int accepted() {
    return accepted.size();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    for (Socket s : accepted) {
      s.close();
    }
    acceptor.join();
  }
}
