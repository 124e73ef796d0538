package org.example.lb.lab.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.lab.LabStatus;
import org.example.lb.lab.netns.Exec;
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
    TierView both = new TierView(List.of(), List.of(), List.of(), List.of(d, marked), List.of(), List.of());
    assertThat(TierViewText.unhealthyLines(both)).as("only the line with the draining LB7")
        .singleElement().asString().startsWith("! LB4-1").contains("LB7-2 DRAINING!");
  }

  @Test
  void aDirectorShowsThePeersFlowsItHoldsAndTheMovedFlowsTheyPlaced() throws IOException {
    TierView.Director d = TierView.director("LB4-1", json("director-status.json"));
    assertThat(d.peerFlows()).isEqualTo(107);
    assertThat(d.peerHits()).as("summed over the workers").isEqualTo(11);
    assertThat(TierViewText.render(new TierView(List.of(), List.of(), List.of(), List.of(d), List.of(), List.of()),
        false)).contains("  sync 107/11");

    ObjectNode withoutSync = (ObjectNode) json("director-status.json");
    withoutSync.remove("sync");
    TierView.Director off = TierView.director("LB4-1", withoutSync);
    assertThat(off.peerFlows()).isEqualTo(-1);
    assertThat(TierViewText.render(new TierView(List.of(), List.of(), List.of(), List.of(off), List.of(), List.of()),
        false)).doesNotContain("sync ");
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
  void aDaemonThatDoesNotAnswerIsUnhealthyAndSaysWhy() {
    TierView view = new TierView(
        List.of(new TierView.RouterRoutes("R2", Map.of(), "ip route: namespace missing", false)),
        List.of(new TierView.Reflector("RR1", Map.of(), "gobgp: context deadline exceeded", false)),
        List.of(new TierView.Speaker("DNS2", "", "", List.of(), 0, 0, "bgp-speaker: connection refused", false)),
        List.of(TierView.Director.unanswered("LB4-2", "l4-director: connection refused")),
        List.of(new TierView.Balancer("LB7-3", List.of(), "l7-agent: no answer within 2 s", false)),
        List.of(new TierView.DnsNode("DNS2", List.of(), "dns-tier: not JSON: <html>", false)));
    assertThat(view.healthy()).isFalse();
    assertThat(TierViewText.render(view, false)).contains("! R2: ip route: namespace missing!")
        .contains("! RR1: gobgp: context deadline exceeded!")
        .contains("! DNS2: bgp-speaker: connection refused!")
        .contains("! LB4-2: l4-director: connection refused!")
        .contains("! LB7-3: l7-agent: no answer within 2 s!")
        .contains("! DNS2: dns-tier: not JSON: <html>!");
  }

  @Test
  void gobgpWithoutItsDaemonSaysWhatItPrinted() {
    Exec.Result r = new Exec.Result(List.of("ip", "netns", "exec", "RR1", "gobgp", "-j", "neighbor"), 1,
        "{\"error\":\"context deadline exceeded\"}\n", "");
    assertThat(TierView.gobgpFailure(r)).isEqualTo("gobgp: context deadline exceeded");
    Exec.Result missing = new Exec.Result(r.command(), 255, "",
        "Cannot open network namespace \"RR1\": No such file or directory\n");
    assertThat(TierView.gobgpFailure(missing)).isEqualTo("gobgp: namespace missing");
  }

  @Test
  void aRouterWithoutANextHopForOneAddressIsMarkedOnThatLine() throws IOException {
    Map<String, List<String>> r1 = new LinkedHashMap<>();
    r1.put("198.51.100.1", TierView.parseNextHops(text("ip-route-multipath.json"), OWNERS));
    r1.put("198.51.100.53", List.of());
    Map<String, List<String>> r2 = new LinkedHashMap<>();
    r2.put("198.51.100.1", List.of("LB4-1", "LB4-2", "LB4-3"));
    r2.put("198.51.100.53", List.of("DNS1", "DNS2"));
    TierView view = new TierView(List.of(TierView.routes("R1", r1), TierView.routes("R2", r2)), List.of(),
        List.of(), List.of(), List.of(), List.of());
    assertThat(view.routers()).extracting(TierView.RouterRoutes::healthy).containsExactly(false, true);
    assertThat(TierViewText.render(view, false).lines()).contains(
        "  198.51.100.1            R1: LB4-1 LB4-2 LB4-3       R2: LB4-1 LB4-2 LB4-3",
        "! 198.51.100.53           R1: none!                   R2: DNS1 DNS2");
  }

  @Test
  void aSessionThatIsNotEstablishedIsNamed() throws IOException {
    Map<String, String> sessions = new TreeMap<>(TierView.parseSessions(text("gobgp-neighbor.json"), OWNERS));
    sessions.put("LB4-2", "ACTIVE");
    TierView.Reflector rr = TierView.reflector("RR1", sessions);
    assertThat(rr.healthy()).isFalse();
    assertThat(TierViewText.render(new TierView(List.of(), List.of(rr), List.of(), List.of(), List.of(), List.of()),
        false)).contains("! RR1: 6/7 sessions established  LB4-2 ACTIVE!");
    assertThat(TierView.reflector("RR1", TierView.parseSessions(text("gobgp-neighbor.json"), OWNERS)).healthy())
        .isTrue();
  }

  @Test
  void colourOnlyWhenAsked() throws IOException {
    ObjectNode draining = (ObjectNode) json("director-status.json");
    ((ObjectNode) draining.path("backends").get(1)).put("state", "DRAINING");
    TierView view = new TierView(List.of(), List.of(), List.of(),
        List.of(TierView.director("LB4-1", draining)), List.of(), List.of());
    assertThat(TierViewText.render(view, true)).contains("\033[31mLB7-2 DRAINING!\033[0m");
    assertThat(TierViewText.render(view, false)).doesNotContain("\033[");
  }

  @Test
  void theJsonReadsBackAsTheSameView() throws IOException {
    TierView view = new TierView(
        List.of(TierView.routes("R1", Map.of("198.51.100.1", List.of("LB4-1", "LB4-2", "LB4-3")))),
        List.of(TierView.reflector("RR1", TierView.parseSessions(text("gobgp-neighbor.json"), OWNERS))),
        List.of(TierView.speaker("LB4-1", json("bgp-speaker-status.json"))),
        List.of(TierView.director("LB4-1", json("director-status.json")),
            TierView.Director.unanswered("LB4-2", "l4-director: connection refused")),
        List.of(TierView.balancer("LB7-1", json("l7-agent-status.json"))),
        List.of(TierView.dnsNode("DNS1", json("dns-tier-states.json"))));
    String printed = TierViewJson.render(new LabStatus.View(true, "up", "2026-12-05T00:00:00Z", "topology.yaml",
        List.of()), view);
    JsonNode tree = ConfigLoader.json().readTree(printed);
    assertThat(tree.path("phase").asText()).isEqualTo("up");
    assertThat(tree.path("healthy").asBoolean(true)).isFalse();
    assertThat(tree.path("tiers").path("directors").get(1).path("problem").asText())
        .isEqualTo("l4-director: connection refused");
    assertThat(TierViewJson.tiers(printed)).isEqualTo(view);
  }
}
