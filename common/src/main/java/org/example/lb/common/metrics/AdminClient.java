package org.example.lb.common.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a running service's {@link AdminServer} on 127.0.0.1: what the {@code status} subcommands do. */
public final class AdminClient {
  private AdminClient() {}

  /**
   * GETs {@code path} (e.g. {@code /status}) from 127.0.0.1:{@code port}.
   *
   * @throws IOException with a one-line message naming the port when nothing answers or the answer is not 200
   */
  public static String get(int port, String path) throws IOException {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("127.0.0.1:" + port + path + " answered " + r.statusCode());
      }
      return r.body();
    } catch (IOException e) {
      throw e.getMessage() != null && e.getMessage().startsWith("127.0.0.1:") ? e
          : new IOException("nothing answers on 127.0.0.1:" + port + " (" + e + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading 127.0.0.1:" + port + path, e);
    }
  }
}
