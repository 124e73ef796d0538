package org.example.lb.lab.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.example.lb.common.config.ConfigLoader;
import org.junit.jupiter.api.Test;

/** The parsers of what each daemon reports, on outputs recorded from the lab (src/test/resources/status). */
class TierViewTest {
  private static final Map<String, String> OWNERS = Map.of("192.0.2.88", "LB4-1", "192.0.2.89", "LB4-2",
      "192.0.2.90", "LB4-3", "192.0.2.65", "R1", "192.0.2.66", "R2", "192.0.2.69", "DNS1", "192.0.2.70", "DNS2");

  private static String text(String name) throws IOException {
    try (InputStream in = TierViewTest.class.getResourceAsStream("/status/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JsonNode json(String name) throws IOException {
    return ConfigLoader.json().readTree(text(name));
  }

  @Test
  void aMultipathRouteNamesEveryNextHopsNode() throws IOException {
    assertThat(TierView.parseNextHops(text("ip-route-multipath.json"), OWNERS))
        .containsExactly("LB4-1", "LB4-2", "LB4-3");
    assertThat(TierView.parseNextHops("[]", OWNERS)).isEmpty();
    assertThat(TierView.parseNextHops("[{\"dst\":\"198.51.100.1\",\"gateway\":\"192.0.2.99\"}]", OWNERS))
        .containsExactly("192.0.2.99");
  }

  @Test
  void gobgpSessionStatesAreNamedAndEveryPeerIsThere() throws IOException {
    Map<String, String> sessions = TierView.parseSessions(text("gobgp-neighbor.json"), OWNERS);
    assertThat(sessions).containsKeys("LB4-1", "LB4-2", "LB4-3", "R1", "R2", "DNS1", "DNS2");
    assertThat(sessions.values()).containsOnly("ESTABLISHED");
  }

  @Test
  void aDirectorWithEveryLb7UpIsHealthyAndADrainingOneIsMarked() throws IOException {
    TierView.Director d = TierView.director("LB4-1", json("director-status.json"));
    assertThat(d.healthy()).isTrue();
    assertThat(d.backends()).extracting(TierView.Backend::name).containsExactly("LB7-1", "LB7-2", "LB7-3", "LB7-4");
    assertThat(d.backends()).allMatch(b -> b.weight() == 100 && b.state().equals("UP"));

    ObjectNode draining = (ObjectNode) json("director-status.json");
    ((ObjectNode) draining.path("backends").get(1)).put("state", "DRAINING");
    TierView.Director marked = TierView.director("LB4-1", draining);
    assertThat(marked.healthy()).isFalse();
    String text = TierViewText.render(new TierView(List.of(), List.of(), List.of(), List.of(marked), List.of(),
        List.of()), false);
    assertThat(text).contains("! LB4-1  serving quorum").contains("LB7-2 DRAINING!").doesNotContain("LB7-1 UP!");
  }

  @Test
  void balancerServersSpeakersAndDnsResourcesAreRead() throws IOException {
    TierView.Balancer b = TierView.balancer("LB7-1", json("l7-agent-status.json"));
    assertThat(b.servers()).extracting(TierView.Server::name).containsExactly("S1", "S2", "S3", "S4", "S5");
    assertThat(b.healthy()).isTrue();

    TierView.Speaker s = TierView.speaker("LB4-1", json("bgp-speaker-status.json"));
    assertThat(s.state()).isEqualTo("UP");
    assertThat(s.announced()).hasSize(4);
    assertThat(s.peersUp()).isEqualTo(2);
    assertThat(s.healthy()).isTrue();

    TierView.DnsNode dns = TierView.dnsNode("DNS1", json("dns-tier-states.json"));
    assertThat(dns.resources()).extracting(TierView.Resource::name).containsExactly("www", "www1", "www2");
    assertThat(dns.resources().getFirst().v4()).isEqualTo(2);
    assertThat(dns.healthy()).isTrue();
  }

  @Test
  void aDaemonThatDoesNotAnswerIsUnhealthyAndSaysSo() {
    TierView view = new TierView(List.of(), List.of(new TierView.Reflector("RR1", Map.of(), false, false)),
        List.of(), List.of(new TierView.Director("LB4-2", false, false, List.of(), false, false)), List.of(),
        List.of(new TierView.DnsNode("DNS2", List.of(), false, false)));
    assertThat(view.healthy()).isFalse();
    assertThat(TierViewText.render(view, false)).contains("! RR1: gobgp does not answer!")
        .contains("! LB4-2: l4-director does not answer!").contains("! DNS2: dns-tier does not answer!");
  }
}
