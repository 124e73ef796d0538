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
      b.append(String.format("%-8s %-36s %-13s %-8s %-6s %-8s %-6s %s%n", "SERVER", "AGENT SAYS", "HAPROXY", "ADMIN",
          "WEIGHT", "SESSIONS", "CHECK", "CONTROLLER"));
      for (Map.Entry<String, JsonNode> e : servers.properties()) {
        JsonNode s = e.getValue();
        String ctl = s.path("draining").asBoolean() ? "draining" : s.path("pending").asBoolean() ? "pending" : "applied";
        if (!s.path("lastError").asText().isEmpty()) {
          ctl += " (error: " + s.path("lastError").asText() + ")";
        }
        JsonNode h = s.path("haproxy");
        String state = h.has("error") ? "?" : h.path("status").asText(h.path("state").asText("?"));
        b.append(String.format("%-8s %-36s %-13s %-8s %-6s %-8s %-6s %s%n", e.getKey(), s.path("agent").asText(),
            state, h.path("admin").asText("?"), h.path("weight").asText("?"), h.path("sessions").asText("?"),
            h.path("check").asText(""), ctl));
        if (h.has("error")) {
          b.append("  ! HAProxy: ").append(h.path("error").asText()).append('\n');
        }
      }
    }
    return b.toString();
  }
}
