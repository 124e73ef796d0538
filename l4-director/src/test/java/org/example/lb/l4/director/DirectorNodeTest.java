package org.example.lb.l4.director;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.metrics.AdminServer;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.Poll;
import org.example.lb.common.test.Tools;
import org.example.lb.l4.testing.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running director in a throwaway namespace (its TUN, raw sockets, workers and admin endpoint live there). The
 * LB7s are addresses nothing answers on, so their checks fail and they go DOWN: what is tested here is the control
 * plane (reload, status, metrics, shutdown); traffic through real LB7s is the lab's L4DirectorLabTest.
 */
class DirectorNodeTest {
  private static final Duration CONVERGE = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  private TestNamespace ns;
  private DirectorNode node;
  private Path file;
  private int checkPort;
  private int adminPort;

  @BeforeEach
  void setUp() throws Exception {
    Tools.requireRoot();
    ns = TestNamespace.create();
    ns.ip("tuntap", "add", "dev", "lb4tun", "mode", "tun", "multi_queue");
    ns.ip("link", "set", "lb4tun", "up");
    checkPort = FreePorts.one();
    adminPort = FreePorts.one();
    file = dir.resolve("l4-director.yaml");
    Files.writeString(file, config("LB7-1", "LB7-2"));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.close();
    }
    if (ns != null) {
      ns.close();
    }
  }

  private String config(String... lb7s) {
    StringBuilder sb = new StringBuilder("""
        node: LB4-test
        device: { name: lb4tun, workers: 2 }
        tunnel: { ipv4Source: 192.0.2.88, mtu: 9000 }
        services:
          - { vip: 198.51.100.1, port: 80 }
        healthCheck: { port: %d, interval: 100ms, timeout: 50ms, rise: 1, fall: 1 }
        admin: { port: %d }
        backends:
        """.formatted(checkPort, adminPort));
    for (int i = 0; i < lb7s.length; i++) {
      sb.append("  - { name: ").append(lb7s[i]).append(", ipv4: 127.0.0.").append(i + 2).append(" }\n");
    }
    return sb.toString();
  }

  private void start() throws Exception {
    DirectorConfig c = ConfigLoader.load(file, DirectorConfig.class);
    node = ns.call(() -> DirectorNode.start(c, file));
  }

  @Test
  void lb7sNobodyAnswersForGoDownAndTheQuorumIsLost() throws Exception {
    start();
    Poll.until(CONVERGE, "both LB7s DOWN", () -> node.status().backends().stream().allMatch(b -> b.state().equals("DOWN")));
    DirectorStatus s = node.status();
    assertThat(s.quorum().up()).isFalse();
    assertThat(s.backends()).extracting(DirectorStatus.BackendStatus::tcp).allMatch(t -> t.startsWith("FAIL "));
    assertThat(s.workers()).hasSize(2);
    assertThat(node.scrape()).contains("lb_director_quorum_up 0", "lb_director_backend_up{backend=\"LB7-1\"} 0",
        "lb_director_packets_received_total{worker=\"1\"}");
    assertThat(StatusView.render(s)).contains("quorum DOWN !", "LB7-2", "DOWN !");
  }

  @Test
  void editingTheConfigFileReloadsIt() throws Exception {
    start();
    Files.writeString(file, config("LB7-1", "LB7-2", "LB7-3"));
    Poll.until(CONVERGE, "the file's change applied", () -> node.status().lastReload().isPresent());
    assertThat(node.status().backends()).hasSize(3);
    assertThat(node.status().lastReload()).hasValueSatisfying(r -> assertThat(r).contains("applied: 3 LB7s"));
    assertThat(node.forwardingState().slot("LB7-1")).isNotNegative();
  }

  @Test
  void anInvalidConfigKeepsTheRunningOneAndSaysWhy() throws Exception {
    start();
    Files.writeString(file, config("LB7-1", "LB7-2").replace("ipv4: 127.0.0.3", "ipv4: 127.0.0.300"));
    node.reload();
    Poll.until(CONVERGE, "the reload is rejected", () -> node.status().lastReload().isPresent());
    assertThat(node.status().lastReload().orElseThrow())
        .contains("rejected, running config kept:", "l4-director.yaml:", "backends[1].ipv4: 127.0.0.300");
    assertThat(node.status().backends()).extracting(DirectorStatus.BackendStatus::name).containsExactly("LB7-1", "LB7-2");
    assertThat(node.scrape()).contains("lb_director_reloads_rejected_total 1");
  }

  @Test
  void changingTheDeviceNeedsARestart() throws Exception {
    start();
    Files.writeString(file, config("LB7-1", "LB7-2").replace("workers: 2", "workers: 1"));
    node.reload();
    Poll.until(CONVERGE, "the reload is rejected", () -> node.status().lastReload().isPresent());
    assertThat(node.status().lastReload().orElseThrow()).contains("changing device needs a restart");
    assertThat(node.status().workers()).hasSize(2);
  }

  @Test
  void flowSyncShowsInStatusAndMetricsAndChangingItNeedsARestart() throws Exception {
    int syncPort = FreePorts.one();
    String withSync = config("LB7-1", "LB7-2")
        + "sync: { listen: 127.0.0.1, port: %d, peers: [127.0.0.9], interval: 20ms }\n".formatted(syncPort);
    Files.writeString(file, withSync);
    start();

    assertThat(node.status().sync()).hasValueSatisfying(s -> {
      assertThat(s.peers()).containsExactly("127.0.0.9");
      assertThat(s.peerFlows()).isZero();
    });
    assertThat(node.scrape()).contains("lb_director_sync_peer_flows 0", "lb_director_sync_records_sent_total 0",
        "lb_director_sync_dropped_total{reason=\"not_from_peer\"} 0");
    assertThat(DirectorNode.render(AdminServer.json(node.status()))).contains("flow sync: peers 127.0.0.9; sent 0 records");

    Files.writeString(file, withSync.replace("interval: 20ms", "interval: 50ms"));
    node.reload();
    Poll.until(CONVERGE, "the reload is rejected", () -> node.status().lastReload().isPresent());
    assertThat(node.status().lastReload().orElseThrow()).contains("changing sync needs a restart");
  }

  @Test
  void closeStopsTheWorkersAndReportsNotServing() throws Exception {
    start();
    assertThat(node.status().serving()).isTrue();
    node.close();
    assertThat(node.status().serving()).isFalse();
    node.awaitShutdown();
    node = null;
  }
}
