package org.example.lb.lab.state;

import java.util.List;
import java.util.Map;

/**
 * What {@code /run/lb-lab/state.json} holds: the write-ahead journal of every resource the lab
 * created (in creation order) and a summary of the nodes for {@code status}.
 *
 * @param phase     {@code building}, {@code up}, {@code failed} or {@code tearing-down}
 * @param createdAt when {@code up} started (ISO-8601)
 * @param topology  the topology file used
 * @param sizes     the {@code --size} overrides used
 * @param nodes     nodes and their addresses, once known
 * @param resources every resource created or about to be created, oldest first
 */
public record LabState(
    int version, String phase, String createdAt, String topology, Map<String, Integer> sizes,
    List<NodeSummary> nodes, List<Resource> resources) {
  public static final int VERSION = 1;

  public LabState {
    sizes = Map.copyOf(sizes == null ? Map.of() : sizes);
    nodes = List.copyOf(nodes == null ? List.of() : nodes);
    resources = List.copyOf(resources == null ? List.of() : resources);
  }

  /** A node as {@code status} shows it. */
  public record NodeSummary(String name, String group, String role, List<String> addresses) {
    public NodeSummary {
      addresses = List.copyOf(addresses);
    }
  }

  public List<Resource.Process> processes() {
    return resources.stream().filter(r -> r instanceof Resource.Process)
        .map(r -> (Resource.Process) r).toList();
  }

  public List<String> namespaces() {
    return resources.stream().filter(r -> r instanceof Resource.Namespace)
        .map(r -> ((Resource.Namespace) r).name()).toList();
  }
}
