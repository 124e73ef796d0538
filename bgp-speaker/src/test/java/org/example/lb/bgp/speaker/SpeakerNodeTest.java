package org.example.lb.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.example.lb.bgp.BgpSpeakerCommand;
import org.example.lb.bgp.gobgp.Announcer;
import org.example.lb.bgp.gobgp.GobgpClient;
import org.example.lb.bgp.gobgp.GobgpdProcess;
import org.example.lb.bgp.gobgp.Route;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.metrics.AdminClient;
import org.example.lb.common.test.CommandRun;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole speaker (config file, health check, announcer, admin endpoint) against a real gobgpd on loopback. The
 * health source is a command testing for a file, so the test decides when the service is healthy.
 */
class SpeakerNodeTest {
  static final Duration DEADLINE = Duration.ofSeconds(15);
  @TempDir Path dir;
  private GobgpdProcess gobgpd;
  private final List<SpeakerNode> nodes = new ArrayList<>();
  private Path okFile;
  private Path disableFile;
  private Path configFile;
  private int adminPort;

  @BeforeEach
  void start() throws Exception {
    gobgpd = GobgpdProcess.start(dir);
    okFile = dir.resolve("ok");
    disableFile = dir.resolve("disable");
    configFile = dir.resolve("speaker.yaml");
    adminPort = FreePorts.one();
  }

  @AfterEach
  void stop() {
    nodes.forEach(SpeakerNode::close);
    gobgpd.shutdown();
  }

  private String config(String prefixes, int gobgpdPort) {
    return """
        node: T1
        gobgpd: { address: "127.0.0.1:%d", timeout: 2s }
        bgp:
          asn: 64496
          routerId: 192.0.2.88
          peers:
            - { address: 127.0.0.3, asn: 64496 }
        announce:
          prefixes: %s
          nextHop: { ipv4: 192.0.2.88, ipv6: "2001:db8:0:3::88" }
          communities: ["64496:100"]
        health:
          command: [/bin/sh, -c, "test -e %s"]
          interval: 200ms
          fastInterval: 100ms
          timeout: 2s
          rise: 1
          fall: 1
          disableFile: %s
        admin: { port: %d }
        """.formatted(gobgpdPort, prefixes, okFile, disableFile, adminPort);
  }

  private SpeakerNode startNode(String prefixes) throws Exception {
    Files.writeString(configFile, config(prefixes, gobgpd.apiPort()));
    SpeakerNode node = SpeakerNode.start(ConfigLoader.load(configFile, SpeakerConfig.class), configFile);
    nodes.add(node);
    return node;
  }

  private List<String> announced() {
    return gobgpd.localRoutes().stream().map(Route::toString).sorted().toList();
  }

  private void awaitAnnounced(String... routes) {
    Poll.untilAsserted(DEADLINE, IllegalStateException.class,
        () -> assertThat(announced()).containsExactlyInAnyOrder(routes));
  }

  private static final String V4 = "198.51.100.1/32 via 192.0.2.88 med %d communities [64496:100]";
  private static final String V6 = "2001:db8::c633:6401/128 via 2001:db8:0:3::88 med %d communities [64496:100]";

  @Test
  void announcesWhileUpDemotesByMedWhenDownAndWithdrawsWhileDisabled() throws Exception {
    Files.createFile(okFile);
    startNode("[198.51.100.1/32, \"2001:db8::198.51.100.1/128\"]");
    awaitAnnounced(V4.formatted(100), V6.formatted(100));

    Files.delete(okFile); // DOWN without withdrawOnDown: MED 100 + increase 900
    awaitAnnounced(V4.formatted(1000), V6.formatted(1000));

    Files.createFile(disableFile);
    awaitAnnounced();

    Files.createFile(okFile);
    Files.delete(disableFile);
    awaitAnnounced(V4.formatted(100), V6.formatted(100));
  }

  @Test
  void aSpeakerRestartedWhileGobgpdRunsNeverWithdrawsWhatItAnnouncesAgain() throws Exception {
    String prefixes = "[198.51.100.1/32, \"2001:db8::198.51.100.1/128\"]";
    Files.writeString(configFile, config(prefixes, gobgpd.apiPort()).replace("rise: 1", "rise: 3"));
    SpeakerConfig c = ConfigLoader.load(configFile, SpeakerConfig.class);
    // The earlier speaker process: it announced while UP, then was killed (nothing withdrawn).
    try (GobgpClient client = GobgpClient.connect(gobgpd.api(), Duration.ofSeconds(5));
        Announcer earlier = Announcer.start(client, SpeakerNode.announcerSettings(c))) {
      SpeakerNode.routes(c).forEach(r -> earlier.announce(r.withMed(100)));
      earlier.flush().get(10, TimeUnit.SECONDS);
    }
    awaitAnnounced(V4.formatted(100), V6.formatted(100));
    Files.createFile(okFile);

    SpeakerNode restarted = SpeakerNode.start(c, configFile);
    nodes.add(restarted);
    // Until its check is UP (three checks 100 ms apart) the routes stay, every time we look.
    Poll.until(DEADLINE, "the restarted speaker's check is UP", () -> {
      assertThat(announced()).containsExactlyInAnyOrder(V4.formatted(100), V6.formatted(100));
      return restarted.status().health().state().equals("UP");
    });
    Poll.until(DEADLINE, "the restarted speaker has decided",
        () -> restarted.status().advertisement().equals("announce med 100"));
    assertThat(announced()).containsExactlyInAnyOrder(V4.formatted(100), V6.formatted(100));
  }

  @Test
  void closingWithdrawsEveryRouteBeforeReturning() throws Exception {
    Files.createFile(okFile);
    SpeakerNode node = startNode("[198.51.100.1/32, \"2001:db8::198.51.100.1/128\"]");
    awaitAnnounced(V4.formatted(100), V6.formatted(100));

    node.close();

    assertThat(announced()).isEmpty();
  }

  @Test
  void aReloadAnnouncesNewPrefixesWithdrawsDroppedOnesAndAnInvalidOneKeepsTheRunningConfig() throws Exception {
    Files.createFile(okFile);
    SpeakerNode node = startNode("[198.51.100.1/32, \"2001:db8::198.51.100.1/128\"]");
    awaitAnnounced(V4.formatted(100), V6.formatted(100));

    Files.writeString(configFile, config("[198.51.100.2/32, \"2001:db8::198.51.100.1/128\"]", gobgpd.apiPort()));
    node.reload();
    awaitAnnounced(V4.formatted(100).replace("198.51.100.1/32", "198.51.100.2/32"), V6.formatted(100));

    Files.writeString(configFile, config("[198.51.100.2/24]", gobgpd.apiPort()));
    node.reload();
    Poll.until(DEADLINE, "the reload to be rejected", () -> node.status().lastReload().isPresent()
        && node.status().lastReload().get().contains("rejected"));
    assertThat(node.status().lastReload().orElseThrow())
        .contains(configFile + ":9: announce.prefixes[0]: 198.51.100.2/24 (expected: a network address");
    assertThat(announced()).containsExactlyInAnyOrder(
        V4.formatted(100).replace("198.51.100.1/32", "198.51.100.2/32"), V6.formatted(100));
  }

  @Test
  void statusAndMetricsShowHealthGobgpdPeersAndRoutes() throws Exception {
    Files.createFile(okFile);
    startNode("[198.51.100.1/32]");
    awaitAnnounced(V4.formatted(100));
    Poll.untilAsserted(DEADLINE, () -> assertThat(metrics()).contains("lb_speaker_routes_announced 1"));
    String metrics = metrics();
    assertThat(metrics).contains("lb_speaker_health_state{state=\"UP\"} 1", "lb_speaker_announcing 1",
        "lb_speaker_gobgpd_connected 1", "lb_speaker_peer_established{peer=\"127.0.0.3\"} 0");

    String view = SpeakerNode.render(AdminClient.get(adminPort, "/status"));
    assertThat(view).contains("T1", "UP", "127.0.0.3", "198.51.100.1/32");
  }

  @Test
  void aSpeakerStartsWithoutGobgpdAndSaysWhyInOneLine() throws Exception {
    int nothing = FreePorts.one();
    Files.writeString(configFile, config("[198.51.100.1/32]", nothing));
    SpeakerNode node = SpeakerNode.start(ConfigLoader.load(configFile, SpeakerConfig.class), configFile);
    nodes.add(node);
    Poll.until(DEADLINE, "an error about gobgpd", () -> node.status().gobgpd().lastError().isPresent());
    SpeakerStatus.Gobgpd g = node.status().gobgpd();
    assertThat(g.connected()).isFalse();
    assertThat(g.lastError().orElseThrow()).contains("127.0.0.1:" + nothing, "UNAVAILABLE").doesNotContain("\n");
  }

  @Test
  void checkConfigNamesTheFileLineAndFieldOfAMistake() throws Exception {
    Files.writeString(configFile, config("[198.51.100.1/32]", 50051).replace("asn: 64496\n  routerId",
        "asn: 64496\n  routerId: \"2001:db8::1\"\n  x"));
    CommandRun c = CommandRun.capturingStderr(() -> ServiceMain.execute(new BgpSpeakerCommand(), "check-config", "--config",
        configFile.toString()));
    assertThat(c.code()).isEqualTo(ServiceMain.USAGE);
    assertThat(c.stderr().lines()).singleElement().asString().startsWith("error: " + configFile + ":");
  }

  private String metrics() {
    try {
      return AdminClient.get(adminPort, "/metrics");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
