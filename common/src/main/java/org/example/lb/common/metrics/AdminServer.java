package org.example.lb.common.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The local admin endpoint every service exposes on 127.0.0.1: {@code /metrics} (Prometheus text)
 * and {@code /status} (JSON). Never bound to another address.
 */
public final class AdminServer implements AutoCloseable {
  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts the endpoint on 127.0.0.1:{@code port} (0 picks a free port).
   *
   * @param statusJson produces the JSON document served at /status
   */
  public static AdminServer start(int port, Metrics metrics, Supplier<String> statusJson) throws IOException {
    return start(port, metrics, statusJson, Map.of());
  }

  /**
   * As {@link #start(int, Metrics, Supplier)}, also serving each of {@code moreJson}'s paths (e.g. {@code /states})
   * with its JSON document.
   */
  public static AdminServer start(int port, Metrics metrics, Supplier<String> statusJson,
      Map<String, Supplier<String>> moreJson) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/metrics", ex -> respond(ex, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    server.createContext("/status", ex -> respond(ex, "application/json", statusJson.get()));
    moreJson.forEach((path, json) -> server.createContext(path, ex -> respond(ex, "application/json", json.get())));
    String paths = String.join(", ", java.util.stream.Stream.concat(java.util.stream.Stream.of("/metrics",
        "/status"), moreJson.keySet().stream().sorted()).toList());
    server.createContext("/", ex -> respond(ex, "text/plain", "see " + paths + "\n"));
    server.start();
    return new AdminServer(server);
  }

  /** Renders a status document (maps, lists, records) as indented JSON; never throws. */
  public static String json(Object status) {
    try {
      return org.example.lb.common.config.ConfigLoader.json().writerWithDefaultPrettyPrinter()
          .writeValueAsString(status);
    } catch (IOException e) {
      return "{\"error\": \"cannot render status: " + String.valueOf(e.getMessage()).replace("\"", "'") + "\"}";
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
