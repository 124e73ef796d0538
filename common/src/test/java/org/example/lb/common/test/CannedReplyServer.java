package org.example.lb.common.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A fault nginx cannot produce on demand: a TCP listener on 127.0.0.1 that answers every connection with the same
 * bytes (garbage, a truncated status line...) and closes it, or resets every connection at once without a byte.
 */
public final class CannedReplyServer implements AutoCloseable {
  private final ServerSocket server;
  private final byte[] reply;
  private final boolean reset;
  private final Thread acceptor;

  private CannedReplyServer(byte[] reply, boolean reset) {
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.reply = reply.clone();
    this.reset = reset;
    this.acceptor = Thread.ofVirtual().name("canned-reply").start(this::serve);
  }

  /** Writes {@code reply} to each connection, then closes it (without reading the request). */
  public static CannedReplyServer replying(byte[] reply) {
    return new CannedReplyServer(reply, false);
  }

  /** Resets each connection (SO_LINGER 0) as soon as it is accepted. */
  public static CannedReplyServer resetting() {
    return new CannedReplyServer(new byte[0], true);
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        if (reset) {
          s.setSoLinger(true, 0);
        } else {
          s.getOutputStream().write(reply);
          s.getOutputStream().flush();
        }
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    acceptor.join();
  }
}
