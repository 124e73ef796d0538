package org.example.lb.bgp.health;

import org.example.lb.common.health.DurationText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.example.lb.common.config.Validation;
import org.example.lb.common.health.ProbeResult;

/** {@link HealthSource#directorQuorum}: the director is serving and has its quorum of LB7s. */
final class DirectorQuorumSource implements HealthSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI uri;
  private final Duration timeout;
  private final HttpClient client;
  private final HttpRequest request;

  DirectorQuorumSource(URI uri, Duration timeout) {
    Validation.required("uri", uri);
    if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        || uri.getHost() == null) {
      throw Validation.invalid("uri", uri, "an http URI such as " + DEFAULT_DIRECTOR_STATUS);
    }
    this.uri = uri;
    this.timeout = Validation.positive("timeout", timeout);
    this.client = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .executor(task -> Thread.ofVirtual().name("director-status").start(task))
        .build();
    this.request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
  }

  @Override
  public ProbeResult check() {
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<byte[]>> pending =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> response;
    try {
      response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      return failed("timeout after " + DurationText.of(timeout), start);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      return failed("interrupted", start);
    } catch (ExecutionException e) {
      return failed(whyNot(e.getCause()), start);
    }
    if (response.statusCode() != 200) {
      return failed("HTTP " + response.statusCode() + " from " + uri, start);
    }
    return judge(response.body(), start);
  }

  private ProbeResult judge(byte[] body, long start) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return failed("bad JSON: " + firstLine(e.getOriginalMessage()), start);
    } catch (IOException e) {
      return failed("bad JSON: " + firstLine(e.getMessage()), start);
    }
    if (root == null || !root.isObject()) {
      return failed("bad status: not a JSON object", start);
    }
    JsonNode serving = root.get("serving");
    JsonNode quorum = root.get("quorum");
    JsonNode up = quorum == null ? null : quorum.get("up");
    if (serving == null || !serving.isBoolean()) {
      return failed("bad status: no boolean \"serving\"", start);
    }
    if (up == null || !up.isBoolean()) {
      return failed("bad status: no boolean \"quorum.up\"", start);
    }
    String weights = "live weight " + quorum.path("liveWeight").asText("?") + ", quorum "
        + quorum.path("weight").asText("?");
    if (!serving.booleanValue()) {
      return failed("director not serving (shutting down)", start);
    }
    if (!up.booleanValue()) {
      return failed("quorum down (" + weights + ")", start);
    }
    return ProbeResult.passed("serving, quorum up (" + weights + ")", since(start));
  }

  private String whyNot(Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException) {
      return "connect timeout after " + DurationText.of(timeout);
    }
    if (cause instanceof HttpTimeoutException) {
      return "timeout after " + DurationText.of(timeout);
    }
    if (cause instanceof ConnectException) {
      return "connect refused: " + uri;
    }
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return "error: " + firstLine(message);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "?";
    }
    String line = message.lines().findFirst().orElse("").strip();
    return line.length() > 160 ? line.substring(0, 157) + "..." : line;
  }

  private static ProbeResult failed(String detail, long start) {
    return ProbeResult.failed(detail, since(start));
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  @Override
  public String toString() {
    return "director quorum " + uri;
  }
}
