package org.example.lb.lab.disrupt;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.l4.L4Tier;
import org.example.lb.lab.netns.Exec;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.node.LabServices;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.state.Resource;
import org.example.lb.lab.topology.Role;
import org.example.lb.lab.topology.Topology;
import org.example.lb.lab.topology.Topology.Node;

/**
 * What an operator does to the running lab, and how they see it took effect: flag files in a node's {@code /etc/lb},
 * killing and starting services, changing the directors' and balancers' configs, the upstream router's routes, and
 * waits (each with a deadline) on what the routers, directors and balancers report.
 */
public final class LabActions {
  private static final Duration COMMAND = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(100);

  private final Path root;
  private final LabPaths paths;
  private final Topology topology;
  private final LabServices services;
  private final Map<Path, String> originals = new HashMap<>();

  public LabActions(Path root, LabPaths paths, Topology topology, LabServices services) {
    this.root = root;
    this.paths = paths;
    this.topology = topology;
    this.services = services;
  }

  public Topology topology() {
    return topology;
  }

  public List<String> names(Role role) {
    return topology.nodesWithRole(role).stream().map(Node::name).toList();
  }

  // ---- flags

  /** {@code echo CONTENT > /etc/lb/FILE} inside {@code node}. */
  public void writeFlag(String node, String file, String content) {
    run(node, "echo '" + content + "' > /etc/lb/" + file);
  }

  /** {@code rm -f /etc/lb/FILE} inside {@code node}. */
  public void removeFlag(String node, String file) {
    run(node, "rm -f /etc/lb/" + file);
  }

  // ---- processes

  /** KILLs each service of {@code node} (a crash); returns them, for {@link #start}. */
  public List<Resource.Process> kill(String node, List<String> serviceNames) {
    List<Resource.Process> killed = new ArrayList<>();
    for (String s : serviceNames) {
      try {
        killed.add(services.kill(node, s));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return killed;
  }

  /** Stops each service of {@code node} (TERM, then KILL after 10 s); returns them, for {@link #start}. */
  public List<Resource.Process> stop(String node, List<String> serviceNames) {
    List<Resource.Process> stopped = new ArrayList<>();
    for (String s : serviceNames) {
      try {
        stopped.add(services.stop(node, s, Duration.ofSeconds(10)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return stopped;
  }

  /** Starts what {@link #kill} or {@link #stop} returned, in that order, skipping any that runs again already. */
  public void start(List<Resource.Process> processes) {
    for (Resource.Process p : processes) {
      try {
        if (services.running(p.node(), p.service())) {
          continue;
        }
        services.start(p);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  // ---- power

  /** The nftables table (inet family) that silences a node in {@link #powerOff}. */
  static final String POWER_OFF_TABLE = "lab_power_off";

  /**
   * Cuts {@code node} off as a power failure would: first every packet it receives or sends is dropped (an nftables
   * table in its namespace, hooks prerouting and output, ahead of everything else), so nothing it does next is seen;
   * then its services are killed, their sockets closing without a FIN, RST or BGP NOTIFICATION reaching anyone, and
   * their state (flow tables) lost. Returns the services, for {@link #powerOn}.
   */
  public List<Resource.Process> powerOff(String node, List<String> serviceNames) {
    run(node, "nft -f - <<'EOF'\ntable inet " + POWER_OFF_TABLE + " {\n"
        + "  chain in { type filter hook prerouting priority -400; policy drop; }\n"
        + "  chain out { type filter hook output priority -400; policy drop; }\n}\nEOF");
    return kill(node, serviceNames);
  }

  /** Undoes {@link #powerOff} as a host boots: the network first, then the services (idempotent). */
  public void powerOn(String node, List<Resource.Process> processes) {
    run(node, "nft delete table inet " + POWER_OFF_TABLE + " 2>/dev/null || true");
    start(processes);
  }

  // ---- configs

  /** Removes {@code lb7} from every director's config (each reloads on the change). */
  public void directorsWithout(String lb7) {
    for (String lb4 : names(Role.L4)) {
      editConfig(paths.node(lb4).conf().resolve("l4-director.yaml"),
          text -> removeLines(text, "name: \"" + lb7 + "\""));
    }
  }

  /** Removes {@code server} from every balancer's l7-agent config and reloads them (HAProxy reloads seamlessly). */
  public void balancersWithout(String server) {
    for (String lb7 : names(Role.L7)) {
      Path config = l7AgentConfig(lb7);
      editConfig(config, text -> removeLines(text, "name: \"" + server + "\""));
      reloadBalancer(lb7);
    }
  }

  /** Puts back every config this object changed (directors reload on the change; balancers are reloaded). */
  public void restoreConfigs() {
    for (Map.Entry<Path, String> e : new ArrayList<>(originals.entrySet())) {
      try {
        Files.writeString(e.getKey(), e.getValue());
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      originals.remove(e.getKey());
      for (String lb7 : names(Role.L7)) {
        if (e.getKey().equals(l7AgentConfig(lb7))) {
          reloadBalancer(lb7);
        }
      }
    }
  }

  private Path l7AgentConfig(String lb7) {
    return paths.node(lb7).conf().resolve("l7-agent.yaml");
  }

  private void reloadBalancer(String lb7) {
    Exec.Result r = Netns.exec(lb7, List.of(root.resolve("bin/l7-agent").toString(), "reload", "--config",
        l7AgentConfig(lb7).toString()), Duration.ofMinutes(2));
    if (!r.ok()) {
      throw new LabFailure(lb7 + ": l7-agent reload failed (exit " + r.exitCode() + "): " + r.stderr().strip());
    }
  }

  private void editConfig(Path file, java.util.function.UnaryOperator<String> edit) {
    try {
      String text = Files.readString(file);
      originals.putIfAbsent(file, text);
      String changed = edit.apply(text);
      if (changed.equals(text)) {
        throw new LabFailure(file + ": nothing to change");
      }
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(tmp, changed);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String removeLines(String text, String containing) {
    StringBuilder b = new StringBuilder();
    for (String line : text.split("(?<=\n)")) {
      if (!line.contains(containing)) {
        b.append(line);
      }
    }
    return b.toString();
  }

  // ---- the upstream router

  /** In {@code node}, routes every VIP through {@code via} only; {@link #restoreRoutes} puts the multipath back. */
  public void routeVipsOnlyVia(String node, String via) {
    Node router = topology.node(node).orElseThrow();
    Node next = topology.node(via).orElseThrow();
    for (Topology.Route r : router.routes()) {
      if (!isVip(r.destination().address())) {
        continue;
      }
      Topology.Nexthop hop = r.nexthops().stream().filter(h -> h.node().equals(via)).findFirst()
          .orElseThrow(() -> new LabFailure(node + " has no route to " + r.destination() + " via " + next.name()));
      ipRoute(node, r.destination().isIpv6(), List.of("replace", r.destination().toString(), "via",
          hop.address().getHostAddress(), "dev", hop.device()));
    }
  }

  /** Puts back {@code node}'s routes to the VIPs as the topology says (multipath over every next hop). */
  public void restoreRoutes(String node) {
    Node router = topology.node(node).orElseThrow();
    for (Topology.Route r : router.routes()) {
      if (!isVip(r.destination().address())) {
        continue;
      }
      List<String> args = new ArrayList<>(List.of("replace", r.destination().toString()));
      for (Topology.Nexthop h : r.nexthops()) {
        args.addAll(List.of("nexthop", "via", h.address().getHostAddress(), "dev", h.device()));
      }
      ipRoute(node, r.destination().isIpv6(), args);
    }
  }

  private boolean isVip(InetAddress address) {
    return topology.vips().contains(address);
  }

  private void ipRoute(String node, boolean v6, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("ip", v6 ? "-6" : "-4", "route"));
    cmd.addAll(args);
    Netns.exec(node, cmd, COMMAND).orThrow();
  }

  // ---- what the tiers report

  /** The LB4s each router has as next hops for {@code vip} (from its kernel FIB). */
  public Map<String, Set<String>> routerNextHops(InetAddress vip) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (String r : org.example.lb.lab.status.TierView.bgpRouters(topology)) {
      out.put(r, new TreeSet<>(org.example.lb.lab.status.TierView.nextHops(topology, r, vip)));
    }
    return out;
  }

  /** Each director's view of {@code lb7}: its state ({@code UP}, {@code DRAINING}, {@code DOWN}) or absent. */
  public Map<String, Optional<String>> directorsSee(String lb7) {
    Map<String, Optional<String>> out = new LinkedHashMap<>();
    for (String lb4 : names(Role.L4)) {
      JsonNode status = adminJson(lb4, L4Tier.DIRECTOR_ADMIN_PORT, "/status");
      Optional<String> state = Optional.empty();
      for (JsonNode b : status.path("backends")) {
        if (b.path("name").asText().equals(lb7)) {
          state = Optional.of(b.path("state").asText());
        }
      }
      out.put(lb4, state);
    }
    return out;
  }

  /**
   * Each balancer's HAProxy status of {@code server} ({@code UP}, {@code DRAIN}, {@code DOWN}, {@code MAINT}: the first
   * word of what HAProxy says, so {@code DRAIN (agent)} is {@code DRAIN}) or absent.
   */
  public Map<String, Optional<String>> balancersSee(String server) {
    Map<String, Optional<String>> out = new LinkedHashMap<>();
    for (String lb7 : names(Role.L7)) {
      JsonNode s = adminJson(lb7, org.example.lb.lab.l7.L7Tier.ADMIN_PORT, "/status").path("servers").path(server).path("haproxy");
      out.put(lb7, s.isMissingNode() ? Optional.empty() : Optional.of(s.path("status").asText().split(" ")[0]));
    }
    return out;
  }

  private static JsonNode adminJson(String node, int port, String path) {
    return org.example.lb.lab.netns.NodeHttp.json(node, port, path).orElseGet(() -> ConfigLoader.json().createObjectNode());
  }

  /** Polls {@code condition} every 100 ms until true; a {@link LabFailure} naming {@code what} after {@code max}. */
  public static Duration await(Duration max, String what, Supplier<String> state, BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new LabFailure("waited " + max.toSeconds() + " s for " + what + "; now: " + state.get());
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LabFailure("interrupted while waiting for " + what);
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private void run(String node, String script) {
    Exec.Result r = Netns.exec(node, List.of("sh", "-c", script), COMMAND);
    if (!r.ok()) {
      throw new LabFailure(node + ": `" + script + "` failed (exit " + r.exitCode() + "): " + r.stderr().strip());
    }
  }
}
