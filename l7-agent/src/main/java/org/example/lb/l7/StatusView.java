package org.example.lb.l7;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import org.example.lb.common.config.ConfigLoader;

/** Renders the admin endpoint's JSON status for a terminal. */
final class StatusView {
  private StatusView() {}

  static String render(String json) {
    JsonNode root;
    try {
      root = ConfigLoader.json().readTree(json);
    } catch (IOException e) {
      return json;
    }
    StringBuilder b = new StringBuilder();
    JsonNode agent = root.path("agent");
    b.append("node ").append(agent.path("node").asText()).append(": agent-check ").append(agent.path("reply").asText())
        .append(" (").append(agent.path("flagFile").asText()).append(", ").append(agent.path("watchers").asInt())
        .append(" watchers)\n");
    if (!agent.path("problem").asText().isEmpty()) {
      b.append("  ! ").append(agent.path("problem").asText()).append('\n');
    }
    JsonNode servers = root.path("servers");
    if (servers.isObject()) {
      b.append(String.format("%-10s %-45s %s%n", "SERVER", "AGENT", "CONTROLLER"));
      for (Map.Entry<String, JsonNode> e : servers.properties()) {
        JsonNode s = e.getValue();
        String ctl = s.path("draining").asBoolean() ? "draining" : s.path("pending").asBoolean() ? "pending" : "applied";
        if (!s.path("lastError").asText().isEmpty()) {
          ctl += " (error: " + s.path("lastError").asText() + ")";
        }
        b.append(String.format("%-10s %-45s %s%n", e.getKey(), s.path("agent").asText(), ctl));
      }
    }
    return b.toString();
  }
}
