package org.example.lb.lab.bgp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.dns.DnsTier;
import org.example.lb.lab.node.ReadinessCheck;
import org.example.lb.lab.node.ServiceLauncher;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.topology.Cidr;
import org.example.lb.lab.topology.Role;
import org.example.lb.lab.topology.Topology;
import org.example.lb.lab.topology.Topology.Node;

/**
 * The BGP tier of the lab: gobgpd route reflectors on the reflector nodes, BIRD 2 on the edge routers, and on each
 * speaker node (L4, DNS) a gobgpd with no configuration of its own, which the node's bgp-speaker configures through
 * the gRPC API on 127.0.0.1:{@value #GOBGPD_API_PORT}. Sessions run over the fabric's IPv4 addresses.
 */
public final class BgpTier {
  public static final String FABRIC_SEGMENT = "fabric";
  /** gobgpd's gRPC API port, on 127.0.0.1 inside each node running gobgpd (GoBGP's default). */
  public static final int GOBGPD_API_PORT = 50051;
  /** The bgp-speaker's admin port (127.0.0.1 inside each speaker node). */
  public static final int SPEAKER_ADMIN_PORT = 9400;
  /** The l4-director's status, the health source of an L4 node's speaker. */
  static final String DIRECTOR_STATUS = "http://127.0.0.1:9200/status";

  private final Path repoRoot;
  private final LabPaths paths;

  public BgpTier(Path repoRoot, LabPaths paths) {
    this.repoRoot = repoRoot;
    this.paths = paths;
  }

  public Path speakerConfig(String node) {
    return paths.node(node).conf().resolve("bgp-speaker.yaml");
  }

  /**
   * What a speaker announces: an L4 node the VIPs; a DNS node the addresses on its lo (the DNS service's anycast
   * address).
   */
  public static List<Cidr> announced(Topology topology, Node node) {
    if (node.role() == Role.L4) {
      return topology.vips().stream().map(Cidr::host).toList();
    }
    return node.loopback();
  }

  /**
   * The health source of a speaker: an L4 node's director (serving, quorum up); a DNS node's dns-tier (it answers on
   * the service address).
   */
  static String healthSource(Topology topology, Node node) {
    if (node.role() == Role.L4) {
      return "director: " + DIRECTOR_STATUS;
    }
    return DnsTier.speakerHealthSource(node);
  }

  /** The fabric IPv4 address of a node; the lab's BGP sessions use it. */
  public static Cidr fabricIpv4(Node node) {
    return node.on(FABRIC_SEGMENT).flatMap(Topology.Interface::ipv4)
        .orElseThrow(() -> new LabFailure(node.name() + ": BGP needs an IPv4 address on the " + FABRIC_SEGMENT
            + " segment"));
  }

  /** The fabric IPv6 address of a node: the next hop it announces for IPv6 prefixes. */
  public static Cidr fabricIpv6(Node node) {
    return node.on(FABRIC_SEGMENT).flatMap(Topology.Interface::ipv6)
        .orElseThrow(() -> new LabFailure(node.name() + ": BGP needs an IPv6 address on the " + FABRIC_SEGMENT
            + " segment"));
  }

  /** The nodes that announce prefixes: L4 (the VIPs) and DNS (the DNS service address). */
  public static List<Node> speakers(Topology topology) {
    List<Node> speakers = new ArrayList<>(topology.nodesWithRole(Role.L4));
    speakers.addAll(topology.nodesWithRole(Role.DNS));
    return speakers;
  }

  public Path reflectorConfig(String node) {
    return paths.node(node).conf().resolve("gobgpd.toml");
  }

  public Path birdConfig(String node) {
    return paths.node(node).conf().resolve("bird.conf");
  }

  /** BIRD's control socket on a router ({@code birdc -s SOCKET}). */
  public Path birdSocket(String node) {
    return paths.node(node).run().resolve("bird.ctl");
  }

  /** Writes the reflectors' and routers' configuration files. */
  public void configure(Topology topology) throws IOException {
    List<Cidr> routers = topology.nodesWithRole(Role.ROUTER).stream().filter(BgpTier::onFabric)
        .map(BgpTier::fabricIpv4).toList();
    List<Cidr> reflectors = topology.nodesWithRole(Role.REFLECTOR).stream().map(BgpTier::fabricIpv4).toList();
    List<Cidr> speakers = speakers(topology).stream().map(BgpTier::fabricIpv4).toList();
    for (Node node : topology.nodesWithRole(Role.REFLECTOR)) {
      Files.writeString(reflectorConfig(node.name()), BgpConfigs.reflector(fabricIpv4(node), routers, speakers));
    }
    for (Node node : routers(topology)) {
      Files.writeString(birdConfig(node.name()), BgpConfigs.router(fabricIpv4(node), reflectors,
          paths.node(node.name()).log().resolve("bird.log").toString()));
    }
    for (Node node : speakers(topology)) {
      Files.writeString(speakerConfig(node.name()), BgpConfigs.speaker(node.name(), fabricIpv4(node), fabricIpv6(node),
          reflectors, announced(topology, node), healthSource(topology, node), SPEAKER_ADMIN_PORT));
    }
  }

  /** Starts the bgp-speaker on an L4 or DNS node (after its gobgpd, and on L4 after the director). */
  public void startSpeaker(Node node, ServiceLauncher launcher) {
    launcher.start(node.name(), "bgp-speaker", List.of(repoRoot.resolve("bin/bgp-speaker").toString(), "run",
            "--config", speakerConfig(node.name()).toString()),
        paths.node(node.name()).log().resolve("bgp-speaker.log"));
  }

  /** Every speaker's admin endpoint answers. */
  public List<ReadinessCheck> speakerChecks(Topology topology) {
    List<ReadinessCheck> checks = new ArrayList<>();
    for (Node node : speakers(topology)) {
      checks.add(ReadinessCheck.http(node.name(), "bgp-speaker admin /status",
          "http://127.0.0.1:" + SPEAKER_ADMIN_PORT + "/status"));
    }
    return checks;
  }

  /**
   * Every router's FIB routes every announced prefix through every speaker that announces it (the VIPs through each
   * L4 node, the DNS address through each DNS node): BGP has converged. A speaker's gobgpd waits a random few seconds
   * before its first connect, so a VIP may answer through one LB4 well before all of them announce it.
   */
  public List<ReadinessCheck> routeChecks(Topology topology) {
    Map<Cidr, List<Node>> announcers = new LinkedHashMap<>();
    for (Node speaker : speakers(topology)) {
      for (Cidr prefix : announced(topology, speaker)) {
        announcers.computeIfAbsent(prefix, p -> new ArrayList<>()).add(speaker);
      }
    }
    List<ReadinessCheck> checks = new ArrayList<>();
    for (Node router : routers(topology)) {
      announcers.forEach((prefix, nodes) -> {
        List<String> hops = nodes.stream()
            .map(n -> (prefix.isIpv6() ? fabricIpv6(n) : fabricIpv4(n)).addressText()).toList();
        StringBuilder script = new StringBuilder("r=$(ip ").append(prefix.isIpv6() ? "-6" : "-4")
            .append(" route show ").append(prefix.addressText()).append("/").append(prefix.prefixLength())
            .append(") && for h in ").append(String.join(" ", hops))
            .append("; do case \"$r\" in *\"via $h dev\"*) ;; *) exit 1;; esac; done");
        checks.add(new ReadinessCheck(router.name(), "route to " + prefix.addressText() + " via "
            + nodes.stream().map(Node::name).collect(Collectors.joining(", ")),
            List.of("sh", "-c", script.toString())));
      });
    }
    return checks;
  }

  /** The routers that take part in BGP: those on the fabric (the {@code internet} router is not). */
  public static List<Node> routers(Topology topology) {
    return topology.nodesWithRole(Role.ROUTER).stream().filter(BgpTier::onFabric).toList();
  }

  private static boolean onFabric(Node node) {
    return node.on(FABRIC_SEGMENT).isPresent();
  }

  /** Starts gobgpd on a route reflector, with its configuration file. */
  public void startReflector(Node node, ServiceLauncher launcher) {
    launcher.start(node.name(), "gobgpd", List.of("gobgpd", "-f", reflectorConfig(node.name()).toString(), "-p",
            "--pprof-disable", "--api-hosts", "127.0.0.1:" + GOBGPD_API_PORT),
        paths.node(node.name()).log().resolve("gobgpd.log"));
  }

  /** Starts BIRD on an edge router, in the foreground so the lab records its PID. */
  public void startRouter(Node node, ServiceLauncher launcher) {
    launcher.start(node.name(), "bird", List.of("bird", "-f", "-c", birdConfig(node.name()).toString(),
            "-s", birdSocket(node.name()).toString()),
        paths.node(node.name()).log().resolve("bird.out"));
  }

  /** Starts gobgpd without configuration on a speaker node; the bgp-speaker configures it over the API. */
  public void startSpeakerDaemon(Node node, ServiceLauncher launcher) {
    launcher.start(node.name(), "gobgpd", List.of("gobgpd", "-p", "--pprof-disable",
            "--api-hosts", "127.0.0.1:" + GOBGPD_API_PORT),
        paths.node(node.name()).log().resolve("gobgpd.log"));
  }

  /** Every gobgpd's API answers and every BIRD answers on its control socket. */
  public List<ReadinessCheck> daemonChecks(Topology topology) {
    List<ReadinessCheck> checks = new ArrayList<>();
    List<Node> gobgpNodes = new ArrayList<>(topology.nodesWithRole(Role.REFLECTOR));
    gobgpNodes.addAll(speakers(topology));
    for (Node node : gobgpNodes) {
      checks.add(new ReadinessCheck(node.name(), "gobgpd API", List.of("timeout", "2", "gobgp", "global")));
    }
    for (Node node : routers(topology)) {
      checks.add(new ReadinessCheck(node.name(), "BIRD control socket",
          List.of("timeout", "2", "birdc", "-s", birdSocket(node.name()).toString(), "show", "status")));
    }
    return checks;
  }
}
