package org.example.lb.lab.netns;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.example.lb.common.config.ConfigLoader;

/** A service's JSON admin endpoint on 127.0.0.1 inside a node ({@code curl} through {@code ip netns exec}). */
public final class NodeHttp {
  private NodeHttp() {}

  /** GET {@code http://127.0.0.1:PORT/PATH} in {@code node}; empty when it does not answer JSON within 3 s. */
  public static Optional<JsonNode> json(String node, int port, String path) {
    Exec.Result r = Netns.exec(node, List.of("curl", "-s", "--max-time", "3", "http://127.0.0.1:" + port + path),
        Duration.ofSeconds(10));
    if (!r.ok() || r.stdout().isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ConfigLoader.json().readTree(r.stdout()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
