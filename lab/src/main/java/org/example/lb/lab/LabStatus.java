package org.example.lb.lab;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.node.ProcStat;
import org.example.lb.lab.state.Journal;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.state.LabState;

/** What {@code bin/lab status} shows: per node, its namespace, addresses and recorded processes. */
public final class LabStatus {
  /**
   * The status view.
   *
   * @param up    true when a journal exists
   * @param phase building, up, failed, tearing-down; "down" without a journal
   */
  public record View(boolean up, String phase, String since, String topology, List<NodeView> nodes) {}

  /** One node. */
  public record NodeView(String name, String role, boolean namespace, List<String> addresses, List<ProcessView> processes) {}

  /** One recorded process; {@code alive} checks the PID and its start time. */
  public record ProcessView(String service, long pid, boolean alive, String log) {}

  private LabStatus() {}

  public static View read(LabPaths paths) throws IOException {
    Optional<LabState> state = Journal.read(paths.journal());
    if (state.isEmpty()) {
      return new View(false, "down", null, null, List.of());
    }
    LabState s = state.get();
    List<String> namespaces = Netns.list();
    List<NodeView> nodes = s.nodes().stream().map(n -> new NodeView(n.name(), n.role(), namespaces.contains(n.name()),
        n.addresses(), s.processes().stream().filter(p -> p.node().equals(n.name()))
            .map(p -> new ProcessView(p.service(), p.pid(), ProcStat.alive(p.pid(), p.startTime()), p.log()))
            .toList())).toList();
    return new View(true, s.phase(), s.createdAt(), s.topology(), nodes);
  }

  public static void print(View view, boolean json, PrintStream out) throws IOException {
    if (json) {
      out.println(ConfigLoader.json().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(view));
      return;
    }
    if (!view.up()) {
      out.println("lab: down (no lab state)");
      return;
    }
    long dead = view.nodes().stream().flatMap(n -> n.processes().stream()).filter(p -> !p.alive()).count();
    long missing = view.nodes().stream().filter(n -> !n.namespace()).count();
    out.println("lab: " + view.phase() + " since " + view.since() + " (" + view.topology() + ")"
        + (dead > 0 ? ", " + dead + " processes dead" : "") + (missing > 0 ? ", " + missing + " namespaces missing" : ""));
    out.printf("%-9s %-9s %-5s %-44s %s%n", "NODE", "ROLE", "NETNS", "ADDRESSES", "PROCESSES");
    for (NodeView n : view.nodes()) {
      List<String> addresses = n.addresses().isEmpty() ? List.of("-") : n.addresses();
      List<String> procs = n.processes().stream()
          .map(p -> p.service() + " " + (p.pid() == 0 ? "(not started)" : p.pid() + (p.alive() ? " alive" : " DEAD")))
          .toList();
      int rows = Math.max(addresses.size(), procs.size());
      for (int i = 0; i < rows; i++) {
        out.printf("%-9s %-9s %-5s %-44s %s%n", i == 0 ? n.name() : "", i == 0 ? n.role() : "",
            i == 0 ? (n.namespace() ? "yes" : "NO") : "", i < addresses.size() ? addresses.get(i) : "",
            i < procs.size() ? procs.get(i) : "");
      }
    }
  }

  /** The nodes in one line, then a line per missing namespace or dead process. */
  public static void printSummary(View view, PrintStream out) {
    long processes = view.nodes().stream().mapToLong(n -> n.processes().size()).sum();
    long alive = view.nodes().stream().flatMap(n -> n.processes().stream()).filter(ProcessView::alive).count();
    out.println("lab: " + view.phase() + " since " + view.since() + " (" + view.topology() + "): " + view.nodes().size()
        + " nodes, " + alive + "/" + processes + " processes alive");
    for (NodeView n : view.nodes()) {
      if (!n.namespace()) {
        out.println("! " + n.name() + ": namespace missing");
      }
      for (ProcessView p : n.processes()) {
        if (!p.alive()) {
          out.println("! " + n.name() + ": " + p.service() + (p.pid() == 0 ? " not started" : " (pid " + p.pid()
              + ") dead") + ", log " + p.log());
        }
      }
    }
  }

  /** Exit code of {@code status}: 0 when up and every process alive, 3 when down, 1 otherwise. */
  public static int exitCode(View view) {
    if (!view.up()) {
      return 3;
    }
    boolean healthy = view.phase().equals("up") && view.nodes().stream().allMatch(NodeView::namespace)
        && view.nodes().stream().flatMap(n -> n.processes().stream()).allMatch(ProcessView::alive);
    return healthy ? 0 : 1;
  }
}
