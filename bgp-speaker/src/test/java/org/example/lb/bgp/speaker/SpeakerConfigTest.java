package org.example.lb.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.example.lb.bgp.gobgp.Prefix;
import org.example.lb.bgp.health.HealthSettings;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;
import org.junit.jupiter.api.Test;

class SpeakerConfigTest {
  private static final Path FILE = Path.of("s.yaml");

  static final String VALID = """
      node: LB4-1
      bgp:
        asn: 64496
        routerId: 192.0.2.88
        peers:
          - { address: 192.0.2.67, asn: 64496 }
          - { address: 192.0.2.68, asn: 64496, holdTime: 30s, password: s3cret }
      announce:
        prefixes: [198.51.100.1/32, "2001:db8::198.51.100.1/128", 198.51.100.2]
        nextHop: { ipv4: 192.0.2.88, ipv6: "2001:db8:0:3::88" }
      health:
        director: http://127.0.0.1:9200/status
      """;

  private static SpeakerConfig parse(String text) throws ConfigException {
    return ConfigLoader.parse(FILE, text, SpeakerConfig.class);
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
    SpeakerConfig c = parse(VALID);
    assertThat(c.gobgpd().host()).isEqualTo("127.0.0.1");
    assertThat(c.gobgpd().port()).isEqualTo(50051);
    assertThat(c.bgp().listenPort()).isEqualTo(-1);
    assertThat(c.bgp().peers().get(0).holdTime()).isEqualTo(Duration.ofSeconds(9));
    assertThat(c.bgp().peers().get(0).keepalive()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.bgp().peers().get(1).keepalive()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.bgp().peers().get(1).password()).contains("s3cret");
    assertThat(c.bgp().peers().get(0).port()).isEqualTo(179);
    assertThat(c.announce().med()).isEqualTo(100);
    assertThat(c.announce().parsedPrefixes()).extracting(Prefix::toString)
        .containsExactly("198.51.100.1/32", "2001:db8::c633:6401/128", "198.51.100.2/32");
    assertThat(c.health().director()).contains(URI.create("http://127.0.0.1:9200/status"));
    HealthSettings h = c.health().settings(c.announce().med());
    assertThat(h.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(h.fastInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(h.rise()).isEqualTo(3);
    assertThat(h.fall()).isEqualTo(3);
    assertThat(h.disableFile()).isEqualTo(Path.of("/etc/lb/disable"));
    assertThat(h.withdrawOnDown()).isFalse();
    assertThat(h.downMed()).isEqualTo(1000);
    assertThat(c.admin().port()).isEqualTo(9400);
  }

  @Test
  void aPrefixWithHostBitsIsNamedWithItsLine() {
    String bad = VALID.replace("198.51.100.1/32,", "198.51.100.1/24,");
    assertThatThrownBy(() -> parse(bad)).isInstanceOf(ConfigException.class).hasMessage("s.yaml:"
        + lineOf(bad, "/24") + ": announce.prefixes[0]: 198.51.100.1/24 (expected: a network address, no bits set past /24)");
  }

  @Test
  void aPrefixOfAFamilyWithoutNextHopIsRejected() {
    String bad = VALID.replace("nextHop: { ipv4: 192.0.2.88, ipv6: \"2001:db8:0:3::88\" }", "nextHop: { ipv4: 192.0.2.88 }");
    assertThatThrownBy(() -> parse(bad)).hasMessageContaining(
        "announce.prefixes[1]: 2001:db8::c633:6401/128 (expected: a prefix of a family with a next hop (announce.nextHop.ipv6))");
  }

  @Test
  void aHoldTimeBelowGobgpsMinimumIsRejected() {
    String bad = VALID.replace("{ address: 192.0.2.67, asn: 64496 }", "{ address: 192.0.2.67, asn: 64496, holdTime: 2s }");
    assertThatThrownBy(() -> parse(bad)).hasMessageContaining("bgp.peers[0].holdTime: PT2S (expected: whole seconds, 3s..65535s)");
  }

  @Test
  void exactlyOneHealthSourceIsRequired() {
    String two = VALID + "  command: [/bin/true]\n";
    assertThatThrownBy(() -> parse(two)).hasMessageContaining("health: 2 sources (expected: exactly one of director, command, url)");
    String none = VALID.replace("  director: http://127.0.0.1:9200/status\n", "  rise: 2\n");
    assertThatThrownBy(() -> parse(none)).hasMessageContaining("health: 0 sources");
  }

  @Test
  void aRouterIdMustBeIpv4() {
    String bad = VALID.replace("routerId: 192.0.2.88", "routerId: \"2001:db8::1\"");
    assertThatThrownBy(() -> parse(bad)).hasMessageContaining("bgp.routerId: 2001:db8::1 (expected: an IPv4 address)");
  }

  @Test
  void badCommunitiesSayWhatIsExpected() {
    String bad = VALID.replace("  nextHop:", "  communities: [\"64496:70000\"]\n  nextHop:");
    assertThatThrownBy(() -> parse(bad)).hasMessageContaining("announce.communities[0]: 64496:70000 (expected: ASN:VALUE, each 0..65535)");
    String large = VALID.replace("  nextHop:", "  largeCommunities: [\"1:2\"]\n  nextHop:");
    assertThatThrownBy(() -> parse(large)).hasMessageContaining("announce.largeCommunities[0]: 1:2 (expected: GLOBAL:LOCAL1:LOCAL2");
  }

  @Test
  void aPeerListedTwiceIsRejected() {
    String bad = VALID.replace("address: 192.0.2.68", "address: 192.0.2.67");
    assertThatThrownBy(() -> parse(bad)).hasMessageContaining("bgp.peers[1].address: 192.0.2.67 (expected: each peer once)");
  }

  @Test
  void checkSettingsAreValidatedWithTheirPath() {
    String bad = VALID + "  fall: 0\n  rise: 2000\n";
    assertThatThrownBy(() -> parse(bad)).hasMessageContaining("health.rise: 2000 (expected:");
    String demotion = VALID.replace("  nextHop:", "  med: 4294967295\n  nextHop:");
    assertThatThrownBy(() -> parse(demotion)).hasMessageContaining("health.increase: 900 (expected: an integer 0-0");
  }

  @Test
  void unknownKeysAreErrors() {
    assertThatThrownBy(() -> parse(VALID + "  withdrawOnDwn: true\n")).hasMessageContaining("withdrawOnDwn");
  }
}
