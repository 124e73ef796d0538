package org.example.lb.bgp.health;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for an l4-director's admin server in states a test cannot easily put a real director in (no quorum,
 * shutting down, a broken page): serves a canned status code and body at {@code /status} on 127.0.0.1, both
 * changeable while it runs.
 */
final class CannedStatusServer implements AutoCloseable {
  private final HttpServer server;
  private volatile int code = 200;
  private volatile String body = "{}";

  CannedStatusServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/status", exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  /** A director's status JSON with the given flags (the shape of l4-director's DirectorStatus). */
  static String status(boolean serving, boolean quorumUp) {
    return """
        {"node":"lb4-a","serving":%s,"scheduler":"maglev","hashKey":"5-tuple","tableSize":65537,
         "quorum":{"up":%s,"liveWeight":%d,"weight":100,"hysteresis":0},
         "services":["192.0.2.10:80"],"backends":[],"workers":[],"drops":{},"lastReload":null}
        """.formatted(serving, quorumUp, quorumUp ? 300 : 0);
  }

  CannedStatusServer answer(int code, String body) {
    this.code = code;
    this.body = body;
    return this;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/status");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
