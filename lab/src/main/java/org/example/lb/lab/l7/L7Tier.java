package org.example.lb.lab.l7;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.netns.Exec;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.node.ReadinessCheck;
import org.example.lb.lab.node.ServiceLauncher;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.topology.Cidr;
import org.example.lb.lab.topology.Role;
import org.example.lb.lab.topology.Topology;
import org.example.lb.lab.topology.Topology.Node;

/**
 * Everything the lab does with l7-agent and HAProxy: writes each node's {@code l7-agent.yaml},
 * starts the agent-check server on servers, and on L7 nodes generates haproxy.cfg, starts the
 * HAProxy master (foreground, master socket in the node's run directory) and {@code l7-agent run}.
 */
public final class L7Tier {
  /** Port of the agent-check server on each server. */
  public static final int AGENT_PORT = 5555;
  /** l7-agent's admin port (127.0.0.1 inside each node). */
  public static final int ADMIN_PORT = 9100;
  /** HAProxy's frontend port. */
  public static final int HTTP_PORT = 80;

  private static final String SERVER_SEGMENT = "servers";
  private static final String FABRIC_SEGMENT = "fabric";

  private final Path repoRoot;
  private final LabPaths paths;

  public L7Tier(Path repoRoot, LabPaths paths) {
    this.repoRoot = repoRoot;
    this.paths = paths;
  }

  private Path launcher() {
    return repoRoot.resolve("bin/l7-agent");
  }

  public Path configFile(String node) {
    return paths.node(node).conf().resolve("l7-agent.yaml");
  }

  /** Writes {@code l7-agent.yaml} for every server and L7 node. */
  public void writeConfigs(Topology topology) throws IOException {
    for (Node node : topology.nodesWithRole(Role.SERVER)) {
      Files.writeString(configFile(node.name()), L7AgentConfig.server(node.name()));
    }
    List<L7AgentConfig.Backend> backends = topology.nodesWithRole(Role.SERVER).stream()
        .map(s -> new L7AgentConfig.Backend(s.name(), serverAddress(s).addressText(), HTTP_PORT, AGENT_PORT))
        .toList();
    for (Node node : topology.nodesWithRole(Role.L7)) {
      LabPaths.NodeDirs dirs = paths.node(node.name());
      Files.writeString(configFile(node.name()), L7AgentConfig.balancer(node.name(),
          dirs.conf().resolve("haproxy.cfg"), dirs.run(), binds(topology, node), HTTP_PORT, backends));
    }
  }

  /** Where HAProxy listens on an L7 node: the VIPs, then its fabric addresses. */
  public static List<String> binds(Topology topology, Node node) {
    List<String> binds = new ArrayList<>();
    topology.vips().forEach(v -> binds.add(Cidr.host(v).addressText()));
    node.on(FABRIC_SEGMENT).ifPresent(i -> i.addresses().forEach(a -> binds.add(a.addressText())));
    return binds;
  }

  static Cidr serverAddress(Node server) {
    return server.on(SERVER_SEGMENT).flatMap(Topology.Interface::ipv6)
        .or(() -> server.linkAddresses().stream().findFirst())
        .orElseThrow(() -> new LabFailure(server.name() + " has no address for HAProxy to reach"));
  }

  /** Starts {@code l7-agent agent} on a server. */
  public void startServer(Node node, ServiceLauncher launcher) {
    launcher.start(node.name(), "l7-agent-agent",
        List.of(launcher().toString(), "agent", "--config", configFile(node.name()).toString()),
        paths.node(node.name()).log().resolve("l7-agent.log"));
  }

  /**
   * On an L7 node: generates haproxy.cfg, starts the HAProxy master, then {@code l7-agent run}.
   */
  public void startBalancer(Node node, ServiceLauncher launcher) {
    LabPaths.NodeDirs dirs = paths.node(node.name());
    String config = configFile(node.name()).toString();
    Exec.Result generated = Netns.exec(node.name(),
        List.of(launcher().toString(), "haproxy-config", "--config", config), Duration.ofMinutes(2));
    if (!generated.ok()) {
      throw new LabFailure(node.name() + ": l7-agent haproxy-config failed (exit " + generated.exitCode() + "): "
          + (generated.stderr() + generated.stdout()).strip().replace('\n', ' '));
    }
    Path cfg = dirs.conf().resolve("haproxy.cfg");
    if (!Files.exists(cfg)) {
      throw new LabFailure(node.name() + ": l7-agent haproxy-config wrote no " + cfg);
    }
    // l7-agent's maxconn default (4000) fits the 20000 open-files hard limit containers often impose.
    List<String> haproxy = List.of("/usr/sbin/haproxy", "-W", "-db", "-f", cfg.toString(),
        "-S", dirs.run().resolve("master.sock").toString(), "-p", dirs.run().resolve("haproxy.pid").toString());
    launcher.start(node.name(), "haproxy", haproxy, dirs.log().resolve("haproxy.log"));
    launcher.start(node.name(), "l7-agent-run", List.of(launcher().toString(), "run", "--config", config),
        dirs.log().resolve("l7-agent.log"));
  }

  /** What must answer before the L7 tier is up. */
  public List<ReadinessCheck> checks(Topology topology) {
    List<ReadinessCheck> checks = new ArrayList<>();
    for (Node node : topology.nodesWithRole(Role.SERVER)) {
      checks.add(ReadinessCheck.tcp(node.name(), "l7-agent agent-check port " + AGENT_PORT,
          serverAddress(node).addressText(), AGENT_PORT));
    }
    for (Node node : topology.nodesWithRole(Role.L7)) {
      checks.add(ReadinessCheck.http(node.name(), "l7-agent admin /status",
          "http://127.0.0.1:" + ADMIN_PORT + "/status"));
      node.on(FABRIC_SEGMENT).flatMap(Topology.Interface::ipv4).ifPresent(a -> checks.add(ReadinessCheck.http(
          node.name(), "HAProxy /healthcheck 200 (a server usable) on " + a.addressText() + ":" + HTTP_PORT,
          "http://" + a.addressText() + ":" + HTTP_PORT + "/healthcheck")));
    }
    return checks;
  }
}
