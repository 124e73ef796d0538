package org.example.lb.l4.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.example.lb.common.config.ConfigLoader;

/** Renders the endpoint's {@code /status} JSON for a terminal. */
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
    b.append("tunnel endpoint ").append(root.path("node").asText()).append(" on ").append(root.path("device").asText())
        .append(root.path("deviceCreated").asBoolean()
            ? " (created by the endpoint: down unless the operator brought it up)"
            : " (the operator's device)")
        .append('\n');
    line(b, "VIPs", join(root.path("vips")));
    JsonNode directors = root.path("directors");
    line(b, "directors", directors.isArray() ? join(directors) : "any source (no allow-list)");
    JsonNode p = root.path("packets");
    line(b, "packets", "in " + p.path("received").asLong() + ", out " + p.path("delivered").asLong()
        + ", dropped " + p.path("dropped").asLong() + ", TUN write errors " + p.path("tunWriteErrors").asLong()
        + ", receive errors " + p.path("receiveErrors").asLong());
    List<String> drops = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : root.path("drops").properties()) {
      drops.add(e.getKey() + " " + e.getValue().asLong());
    }
    line(b, "drops", drops.isEmpty() ? "none" : String.join(", ", drops));
    List<String> sockets = new ArrayList<>();
    for (JsonNode s : root.path("sockets")) {
      sockets.add(s.path("carries").asText() + " " + s.path("received").asLong());
    }
    line(b, "received", String.join(", ", sockets));
    if (root.has("lastTunWriteError")) {
      line(b, "TUN error", root.path("lastTunWriteError").asText());
    }
    if (root.has("lastLoopError")) {
      line(b, "loop error", root.path("lastLoopError").asText());
    }
    line(b, "rp_filter", root.path("reversePathFilter").asText());
    JsonNode r = root.path("reloads");
    String reloads = r.path("applied").asLong() + " applied, " + r.path("refused").asLong() + " refused";
    if (r.has("lastRefusal")) {
      reloads += " (last refusal: " + r.path("lastRefusal").asText() + ")";
    }
    line(b, "reloads", reloads);
    return b.toString();
  }

  private static void line(StringBuilder b, String label, String value) {
    b.append(String.format("  %-10s %s%n", label + ":", value));
  }

  private static String join(JsonNode array) {
    List<String> items = new ArrayList<>();
    array.forEach(n -> items.add(n.asText()));
    return items.isEmpty() ? "none" : String.join(", ", items);
  }
}
