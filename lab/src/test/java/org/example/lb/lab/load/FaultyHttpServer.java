package org.example.lb.lab.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A one-connection-at-a-time HTTP server on 127.0.0.1 that answers each request with what the test tells it, faults
 * included (a truncated body, a changed byte, a reset, silence): the faults a real server does not produce on demand.
 */
final class FaultyHttpServer implements AutoCloseable {
  /** What to do with one accepted connection, after the request was read. */
  interface Behaviour {
    void answer(Socket socket, OutputStream out) throws IOException;
  }

  private final ServerSocket server;
  private final Thread thread;
  private volatile Behaviour behaviour;

  FaultyHttpServer(Behaviour behaviour) throws IOException {
    this.behaviour = behaviour;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.thread = Thread.ofVirtual().start(this::serve);
  }

  int port() {
    return server.getLocalPort();
  }

  void behave(Behaviour b) {
    this.behaviour = b;
  }

  private void serve() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread.ofVirtual().start(() -> {
          try (s) {
            readRequest(s.getInputStream());
            behaviour.answer(s, s.getOutputStream());
          } catch (IOException e) {
            // the client went away: fine for a test server
          }
        });
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void readRequest(InputStream in) throws IOException {
    int state = 0;
    int c;
    while (state < 4 && (c = in.read()) >= 0) {
      state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
    }
  }

  static byte[] head(int status, long length, String servedBy) {
    return ("HTTP/1.1 " + status + " X\r\nContent-Length: " + length + "\r\n"
        + (servedBy == null ? "" : "X-Served-By: " + servedBy + "\r\n") + "Connection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    server.close();
    thread.interrupt();
  }
}
