package org.example.lb.l7.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw TCP client for tests: what HAProxy or a watcher sees on the wire. */
final class AgentClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  AgentClient(InetSocketAddress address) throws IOException {
    socket = new Socket();
    socket.connect(address, 2000);
    socket.setSoTimeout(5000);
    in = socket.getInputStream();
  }

  /** One connection, one line: what HAProxy's agent-check reads. */
  static String fetch(InetSocketAddress address) {
    try (AgentClient client = new AgentClient(address)) {
      return client.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  /** The next line including its newline, or whatever came before end of stream. */
  String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      line.write(b);
      if (b == '\n') {
        break;
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  /** Reads to end of stream; returns the bytes read (throws SocketTimeoutException if it does not end). */
  int readToEnd() throws IOException {
    return in.readAllBytes().length;
  }

  void setReadTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
