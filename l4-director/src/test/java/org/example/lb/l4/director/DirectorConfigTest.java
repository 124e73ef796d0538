package org.example.lb.l4.director;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;
import org.junit.jupiter.api.Test;

class DirectorConfigTest {
  private static final Path FILE = Path.of("d.yaml");

  static final String VALID = """
      node: LB4-1
      device: { name: lb4tun, workers: 2 }
      tunnel: { ipv4Source: 192.0.2.88, ipv6Source: "2001:db8:0:3::88", mtu: 9000 }
      services:
        - { vip: 198.51.100.1, protocol: tcp, port: 80 }
        - { vip: "2001:db8::198.51.100.1", port: 80 }
      backends:
        - { name: LB7-1, ipv4: 192.0.2.71, ipv6: "2001:db8:0:3::71" }
        - { name: LB7-2, ipv4: 192.0.2.72, weight: 0 }
      """;

  private static DirectorConfig parse(String text) throws ConfigException {
    return ConfigLoader.parse(FILE, text, DirectorConfig.class);
  }

  private static int lineOf(String text, String needle) {
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(needle)) {
        return i + 1;
      }
    }
    throw new AssertionError(needle);
  }

  @Test
  void absentFieldsTakeTheDocumentedDefaults() throws Exception {
    DirectorConfig c = parse(VALID);
    assertThat(c.scheduling().scheduler()).isEqualTo("maglev");
    assertThat(c.scheduling().hashKey()).isEqualTo("five-tuple");
    assertThat(c.scheduling().tableSize()).isEqualTo(65537);
    assertThat(c.flows().capacity()).isEqualTo(262_144);
    assertThat(c.flows().tcpIdle()).isEqualTo(Duration.ofSeconds(900));
    assertThat(c.flows().tcpClosingIdle()).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.flows().udpIdle()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.healthCheck().path()).isEqualTo("/healthcheck");
    assertThat(c.healthCheck().interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.healthCheck().fall()).isEqualTo(2);
    assertThat(c.quorum().weight()).isEqualTo(1);
    assertThat(c.admin().port()).isEqualTo(9200);
    assertThat(c.tunnel().icmpPerSecond()).isEqualTo(100);
    assertThat(c.shutdownGrace()).isZero();
    assertThat(c.services().get(1).protocol()).isEqualTo("tcp");
    assertThat(c.backends().get(0).weight()).isEqualTo(100);
    assertThat(c.backends().get(1).weight()).isZero();
    assertThat(c.sync().enabled()).isFalse();
  }

  @Test
  void flowSyncTakesItsPeersAndDefaults() throws Exception {
    DirectorConfig c = parse(VALID + "sync: { listen: \"2001:db8:0:3::88\", peers: [\"2001:db8:0:3::89\", \"2001:db8:0:3::90\"] }\n");
    assertThat(c.sync().enabled()).isTrue();
    assertThat(c.sync().port()).isEqualTo(7400);
    assertThat(c.sync().interval()).isEqualTo(Duration.ofMillis(100));
    assertThat(c.sync().refresh()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.sync().capacity()).isEqualTo(262_144);
    assertThat(c.sync().peerAddresses()).hasSize(2);
  }

  @Test
  void flowSyncPeersMustBeOtherDirectorsOfTheListenFamily() {
    String noPeers = VALID + "sync: { listen: 192.0.2.88 }\n";
    assertThatThrownBy(() -> parse(noPeers)).hasMessage("d.yaml:" + lineOf(noPeers, "sync:")
        + ": sync.peers: [] (expected: the other directors' addresses, since listen is set)");
    String otherFamily = VALID + "sync: { listen: 192.0.2.88, peers: [\"2001:db8::1\"] }\n";
    assertThatThrownBy(() -> parse(otherFamily)).hasMessageContaining(
        "sync.peers[0]: 2001:db8::1 (expected: an address of the same family as listen (192.0.2.88))");
    String itself = VALID + "sync: { listen: 192.0.2.88, peers: [192.0.2.88] }\n";
    assertThatThrownBy(() -> parse(itself)).hasMessageContaining(
        "sync.peers[0]: 192.0.2.88 (expected: another director's address, not listen's)");
    String noListen = VALID + "sync: { peers: [192.0.2.89] }\n";
    assertThatThrownBy(() -> parse(noListen)).hasMessageContaining(
        "sync.listen: missing (expected: this director's address, since peers are set)");
    String fast = VALID + "sync: { listen: 192.0.2.88, peers: [192.0.2.89], interval: 1ms }\n";
    assertThatThrownBy(() -> parse(fast)).hasMessageContaining("sync.interval: PT0.001S (expected: 10ms..5s)");
  }

  @Test
  void unknownSchedulerNamesTheLineAndTheChoices() {
    String bad = VALID + "scheduling: { scheduler: fastest }\n";
    assertThatThrownBy(() -> parse(bad)).isInstanceOf(ConfigException.class)
        .hasMessage("d.yaml:" + lineOf(bad, "fastest") + ": scheduling.scheduler: fastest (expected: one of maglev, rr, "
            + "wrr, lc, wlc, sh, dh)");
  }

  @Test
  void tableSizeMustBeAPrime() {
    String bad = VALID + "scheduling: { tableSize: 65536 }\n";
    assertThatThrownBy(() -> parse(bad)).hasMessageContaining("scheduling.tableSize: 65536 (expected: a prime");
  }

  @Test
  void backendAddressOfTheWrongFamilyIsNamed() {
    String bad = VALID.replace("ipv4: 192.0.2.72", "ipv4: \"2001:db8:0:3::72\"");
    assertThatThrownBy(() -> parse(bad))
        .hasMessage("d.yaml:" + lineOf(bad, "::72") + ": backends[1].ipv4: 2001:db8:0:3::72 (expected: an IPv4 address)");
  }

  @Test
  void duplicateLb7NamesAreRejected() {
    String bad = VALID.replace("name: LB7-2", "name: LB7-1");
    assertThatThrownBy(() -> parse(bad)).hasMessageContaining("backends[1].name: LB7-1 (expected: unique LB7 names)");
  }

  @Test
  void aTunnelWithoutSourceAddressIsRejected() {
    String bad = VALID.replace("tunnel: { ipv4Source: 192.0.2.88, ipv6Source: \"2001:db8:0:3::88\", mtu: 9000 }",
        "tunnel: { mtu: 9000 }");
    assertThatThrownBy(() -> parse(bad)).hasMessageContaining("tunnel.ipv4Source: missing (expected: ipv4Source or ipv6Source");
  }

  @Test
  void healthCheckTimeoutMustBeShorterThanTheInterval() {
    String bad = VALID + "healthCheck: { interval: 1s, timeout: 2s }\n";
    assertThatThrownBy(() -> parse(bad)).isInstanceOf(ConfigException.class).hasMessageContaining("healthCheck.timeout");
  }

  @Test
  void quorumHysteresisMustStayBelowTheQuorum() {
    String bad = VALID + "quorum: { weight: 100, hysteresis: 100 }\n";
    assertThatThrownBy(() -> parse(bad)).hasMessageContaining("quorum.hysteresis: 100 (expected: an integer 0-99)");
  }

  @Test
  void unknownKeysAreErrors() {
    String bad = VALID + "schedular: maglev\n";
    assertThatThrownBy(() -> parse(bad)).hasMessageContaining("schedular");
  }

  @Test
  void serviceListedTwiceIsRejected() {
    String bad = VALID.replace("- { vip: \"2001:db8::198.51.100.1\", port: 80 }", "- { vip: 198.51.100.1, port: 80 }");
    assertThatThrownBy(() -> parse(bad)).hasMessageContaining("services[1]: tcp 198.51.100.1 port 80 (expected: each service once)");
  }
}
