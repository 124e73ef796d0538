package org.example.lb.lab.netns;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.lab.LabFailure;

/** A service's JSON admin endpoint on 127.0.0.1 inside a node ({@code curl} through {@code ip netns exec}). */
public final class NodeHttp {
  /** How long curl waits for an answer. */
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

  private NodeHttp() {}

  /**
   * What a GET returned: the parsed JSON, or why there is none.
   *
   * @param json    the body, or {@code null} when {@code problem} says why there is none
   * @param problem empty when {@code json} is there; else a few words ("connection refused", "namespace missing")
   */
  public record Reply(JsonNode json, String problem) {
    public Optional<JsonNode> body() {
      return Optional.ofNullable(json);
    }
  }

  /** GET {@code http://127.0.0.1:PORT/PATH} in {@code node}; empty when it does not answer JSON within 2 s. */
  public static Optional<JsonNode> json(String node, int port, String path) {
    return get(node, port, path).body();
  }

  /** GET {@code http://127.0.0.1:PORT/PATH} in {@code node}: its JSON, or why not (never throws). */
  public static Reply get(String node, int port, String path) {
    try {
      Exec.Result r = Netns.exec(node, List.of("curl", "-sS", "--max-time", "" + ANSWER_WITHIN.toSeconds(),
          "http://127.0.0.1:" + port + path), ANSWER_WITHIN.plusSeconds(3));
      return reply(r);
    } catch (LabFailure e) {
      return new Reply(null, e.getMessage());
    }
  }

  /** {@code curl -sS} through {@code ip netns exec}: its output as a {@link Reply}. */
  static Reply reply(Exec.Result r) {
    if (!r.ok()) {
      return new Reply(null, failure(r));
    }
    if (r.stdout().isBlank()) {
      return new Reply(null, "empty answer");
    }
    try {
      return new Reply(ConfigLoader.json().readTree(r.stdout()), "");
    } catch (IOException e) {
      return new Reply(null, "not JSON: " + firstLine(r.stdout()));
    }
  }

  /** Why a command run by {@code ip netns exec} failed, in a few words (curl's common exit codes by name). */
  public static String failure(Exec.Result r) {
    if (r.stderr().contains("Cannot open network namespace")) {
      return "namespace missing";
    }
    boolean curl = r.command().contains("curl");
    return switch (r.exitCode()) {
      case 7 -> curl ? "connection refused" : exitAndError(r);
      case 28 -> curl ? "no answer within " + ANSWER_WITHIN.toSeconds() + " s" : exitAndError(r);
      case 52 -> curl ? "empty reply" : exitAndError(r);
      case 56 -> curl ? "connection reset" : exitAndError(r);
      default -> exitAndError(r);
    };
  }

  private static String exitAndError(Exec.Result r) {
    String err = firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr());
    return r.command().get(r.command().size() > 4 && r.command().get(0).equals("ip") ? 4 : 0) + " exit "
        + r.exitCode() + (err.isEmpty() ? "" : ": " + err);
  }

  private static String firstLine(String text) {
    String line = text.strip().lines().findFirst().orElse("");
    return line.length() > 80 ? line.substring(0, 77) + "..." : line;
  }
}
