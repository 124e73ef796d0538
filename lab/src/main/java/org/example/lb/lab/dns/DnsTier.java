package org.example.lb.lab.dns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.node.ReadinessCheck;
import org.example.lb.lab.node.ServiceLauncher;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.topology.Cidr;
import org.example.lb.lab.topology.Role;
import org.example.lb.lab.topology.Topology;
import org.example.lb.lab.topology.Topology.Node;

/**
 * The DNS tier of the lab: dns-tier on each DNS node, authoritative for example.org on the node's service (anycast)
 * addresses, the ones on its lo, which the node's bgp-speaker announces while the local server answers; and the
 * client nodes' resolver pointed at them ({@code /etc/netns/NODE/resolv.conf}, which {@code ip netns exec} mounts over
 * /etc/resolv.conf), so {@code curl http://www.example.org/} from users crosses all four tiers.
 */
public final class DnsTier {
  /** dns-tier's admin port (127.0.0.1 inside each DNS node). */
  public static final int ADMIN_PORT = 9500;
  /** The zone served. */
  public static final String ZONE = DnsConfigs.ZONE;
  /** The administrator's state file inside a DNS node. */
  public static final String EXTFILE = DnsConfigs.EXTFILE;
  /** Seconds between checks of a VIP. */
  public static final int CHECK_INTERVAL_SECONDS = DnsConfigs.CHECK_INTERVAL_SECONDS;

  private final Path repoRoot;
  private final LabPaths paths;

  public DnsTier(Path repoRoot, LabPaths paths) {
    this.repoRoot = repoRoot;
    this.paths = paths;
  }

  public Path configFile(String node) {
    return paths.node(node).conf().resolve("dns-tier.yaml");
  }

  /** The addresses a DNS node serves on: those on its lo. */
  public static List<Cidr> serviceAddresses(Node node) {
    if (node.loopback().isEmpty()) {
      throw new LabFailure(node.name() + ": a DNS node needs its service address on lo");
    }
    return node.loopback();
  }

  /**
   * The health source of a DNS node's bgp-speaker: the local server answers the zone's SOA on the first service
   * address (a query over lo, to the very socket the anycast traffic reaches).
   */
  public static String speakerHealthSource(Node node) {
    String address = serviceAddresses(node).getFirst().addressText();
    return "command: [/bin/sh, -c, \"dig +time=1 +tries=1 +norecurse @" + address + " " + ZONE
        + " SOA | grep -q 'status: NOERROR'\"]";
  }

  /**
   * Writes each DNS node's dns-tier.yaml and zone, and each client node's resolv.conf (the DNS service addresses of
   * the first DNS node: they are anycast, the same on all).
   */
  public void configure(Topology topology) throws IOException {
    List<Cidr> vips = topology.vips().stream().map(Cidr::host).toList();
    List<Node> dnsNodes = topology.nodesWithRole(Role.DNS);
    for (Node node : dnsNodes) {
      List<Cidr> listen = serviceAddresses(node);
      Path conf = paths.node(node.name()).conf();
      Files.createDirectories(conf.resolve("zones"));
      Files.writeString(conf.resolve("zones").resolve(ZONE), DnsConfigs.zone(listen));
      Files.writeString(configFile(node.name()), DnsConfigs.server(node.name(), listen, vips, ADMIN_PORT));
    }
    if (dnsNodes.isEmpty()) {
      return;
    }
    StringBuilder resolv = new StringBuilder("# written by bin/lab up: the lab's DNS tier (anycast)\n");
    for (Cidr address : serviceAddresses(dnsNodes.getFirst())) {
      resolv.append("nameserver ").append(address.addressText()).append('\n');
    }
    resolv.append("search ").append(ZONE).append("\noptions timeout:1 attempts:2\n");
    for (Node client : topology.nodesWithRole(Role.CLIENT)) {
      Files.writeString(paths.node(client.name()).flags().resolveSibling("resolv.conf"), resolv.toString());
    }
  }

  /** Starts dns-tier on a DNS node. */
  public void start(Node node, ServiceLauncher launcher) {
    launcher.start(node.name(), "dns-tier", List.of(repoRoot.resolve("bin/dns-tier").toString(), "run", "--config",
        configFile(node.name()).toString()), paths.node(node.name()).log().resolve("dns-tier.log"));
  }

  /**
   * Every dns-tier answers its admin endpoint, and every VIP it monitors is UP: its http_status checks pass through
   * the whole stack (so lab up returns with www answering every VIP).
   */
  public List<ReadinessCheck> checks(Topology topology) {
    List<ReadinessCheck> checks = new ArrayList<>();
    for (Node node : topology.nodesWithRole(Role.DNS)) {
      checks.add(ReadinessCheck.http(node.name(), "dns-tier admin /status", adminUrl("/status")));
      checks.add(new ReadinessCheck(node.name(), "dns-tier: every VIP checked UP", List.of("sh", "-c",
          "s=$(curl -sf --max-time 2 " + adminUrl("/states") + ") && case \"$s\" in *'\"DOWN\"'*) exit 1;; "
              + "*'\"UP\"'*) exit 0;; *) exit 1;; esac")));
    }
    return checks;
  }

  public static String adminUrl(String path) {
    return "http://127.0.0.1:" + ADMIN_PORT + path;
  }
}
