package org.example.lb.lab.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.lab.LabStatus;

/**
 * What {@code bin/lab status --json} prints: the nodes as {@link LabStatus.View} (phase, nodes, processes), the
 * {@link TierView} under {@code tiers}, and {@code healthy} (every tier healthy). {@code tiers} reads back as an equal
 * {@link TierView} with {@link #tiers}.
 */
public final class TierViewJson {
  private TierViewJson() {}

  /** The lab's nodes and its tiers as one indented JSON object. */
  public static String render(LabStatus.View nodes, TierView tiers) {
    ObjectMapper mapper = ConfigLoader.json();
    ObjectNode tree = mapper.valueToTree(nodes);
    tree.set("tiers", mapper.valueToTree(tiers));
    tree.put("healthy", tiers.healthy());
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree does not serialize: " + e.getMessage(), e);
    }
  }

  /** The {@link TierView} in what {@link #render} printed. */
  public static TierView tiers(String json) throws JsonProcessingException {
    ObjectMapper mapper = ConfigLoader.json();
    return mapper.treeToValue(mapper.readTree(json).path("tiers"), TierView.class);
  }
}
