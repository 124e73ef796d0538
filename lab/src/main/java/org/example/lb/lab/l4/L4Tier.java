package org.example.lb.lab.l4;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.node.ReadinessCheck;
import org.example.lb.lab.node.ServiceLauncher;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.topology.Cidr;
import org.example.lb.lab.topology.Role;
import org.example.lb.lab.topology.Topology;
import org.example.lb.lab.topology.Topology.Node;

/**
 * Everything the lab does with l4-director: on each L4 node a persistent multi-queue TUN ({@value #DIRECTOR_TUN})
 * with the VIP routes pointing at it and {@code l4-director run}; on each L7 node a TUN ({@value #ENDPOINT_TUN})
 * and {@code l4-director tunnel-endpoint run}. The devices are created by the lab, as an operator's network
 * configuration would, so a restarted director finds its routes in place.
 */
public final class L4Tier {
  /** The director's admin port (127.0.0.1 inside each L4 node). */
  public static final int DIRECTOR_ADMIN_PORT = 9200;
  /** The UDP port of flow sync between the directors (on the fabric). */
  public static final int SYNC_PORT = 7400;
  /** The tunnel endpoint's admin port (127.0.0.1 inside each L7 node). */
  public static final int ENDPOINT_ADMIN_PORT = 9300;
  public static final String DIRECTOR_TUN = "lb4tun";
  public static final String ENDPOINT_TUN = "lb7tun";
  /** Worker threads (TUN queues) per director: the machine has 2 cores. */
  public static final int WORKERS = 2;
  static final String FABRIC_SEGMENT = "fabric";

  private final Path repoRoot;
  private final LabPaths paths;

  public L4Tier(Path repoRoot, LabPaths paths) {
    this.repoRoot = repoRoot;
    this.paths = paths;
  }

  private String launcher() {
    return repoRoot.resolve("bin/l4-director").toString();
  }

  public Path directorConfig(String node) {
    return paths.node(node).conf().resolve("l4-director.yaml");
  }

  public Path endpointConfig(String node) {
    return paths.node(node).conf().resolve("tunnel-endpoint.yaml");
  }

  /** The fabric MTU: the tunnel's egress MTU on directors, and what the endpoint's TUN must carry. */
  static int fabricMtu(Topology topology) {
    return topology.segments().stream().filter(s -> s.name().equals(FABRIC_SEGMENT)).findFirst()
        .map(Topology.Segment::mtu).orElse(1500);
  }

  /** Creates the TUN devices and VIP routes, and writes every director's and endpoint's config. */
  public void configure(Topology topology) throws IOException {
    int mtu = fabricMtu(topology);
    for (Node node : topology.nodesWithRole(Role.L4)) {
      List<String> lines = new ArrayList<>();
      lines.add("tuntap add dev " + DIRECTOR_TUN + " mode tun multi_queue");
      lines.add("link set " + DIRECTOR_TUN + " up");
      for (java.net.InetAddress vip : topology.vips()) {
        lines.add("route add " + Cidr.host(vip) + " dev " + DIRECTOR_TUN);
      }
      Netns.batch(node.name(), lines);
      Files.writeString(directorConfig(node.name()), L4Configs.director(topology, node, mtu));
    }
    for (Node node : topology.nodesWithRole(Role.L7)) {
      // Inner packets are at most the fabric MTU minus the IPv4 outer header.
      Netns.batch(node.name(), List.of(
          "tuntap add dev " + ENDPOINT_TUN + " mode tun",
          "link set " + ENDPOINT_TUN + " mtu " + (mtu - 20) + " up"));
      Files.writeString(endpointConfig(node.name()), L4Configs.endpoint(topology, node));
    }
  }

  /** Starts the tunnel endpoint on an L7 node. */
  public void startEndpoint(Node node, ServiceLauncher launcher) {
    launcher.start(node.name(), "tunnel-endpoint",
        List.of(launcher(), "tunnel-endpoint", "run", "--config", endpointConfig(node.name()).toString()),
        paths.node(node.name()).log().resolve("tunnel-endpoint.log"));
  }

  /** Starts the director on an L4 node. */
  public void startDirector(Node node, ServiceLauncher launcher) {
    launcher.start(node.name(), "l4-director",
        List.of(launcher(), "run", "--config", directorConfig(node.name()).toString()),
        paths.node(node.name()).log().resolve("l4-director.log"));
  }

  /** What must answer before the L4 tier is up: every admin endpoint, then HTTP to each VIP from the clients. */
  public List<ReadinessCheck> checks(Topology topology) {
    List<ReadinessCheck> checks = new ArrayList<>();
    for (Node node : topology.nodesWithRole(Role.L7)) {
      checks.add(ReadinessCheck.http(node.name(), "tunnel-endpoint admin /status",
          "http://127.0.0.1:" + ENDPOINT_ADMIN_PORT + "/status"));
    }
    for (Node node : topology.nodesWithRole(Role.L4)) {
      checks.add(ReadinessCheck.http(node.name(), "l4-director admin /status",
          "http://127.0.0.1:" + DIRECTOR_ADMIN_PORT + "/status"));
    }
    Optional<Node> client = topology.nodesWithRole(Role.CLIENT).stream().findFirst();
    if (client.isPresent()) {
      for (java.net.InetAddress vip : topology.vips()) {
        Cidr host = Cidr.host(vip);
        String authority = host.isIpv6() ? "[" + host.addressText() + "]" : host.addressText();
        checks.add(ReadinessCheck.http(client.get().name(), "/healthcheck through the L4 tier at " + host.addressText(),
            "http://" + authority + "/healthcheck"));
      }
    }
    return checks;
  }
}
