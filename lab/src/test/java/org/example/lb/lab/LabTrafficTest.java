package org.example.lb.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.lab.netns.Exec;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.node.Payload;
import org.example.lb.lab.status.StatusWatch;
import org.example.lb.lab.status.TierView;
import org.example.lb.lab.status.TierViewJson;
import org.example.lb.lab.status.TierViewText;
import org.example.lb.lab.support.LabTest;
import org.example.lb.lab.support.SharedLab;
import org.example.lb.lab.support.SharedLab.RunningLab;
import org.example.lb.lab.topology.Cidr;
import org.example.lb.lab.topology.Role;
import org.example.lb.lab.topology.Topology;
import org.example.lb.lab.topology.Topology.Node;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Traffic through the shared lab of the default topology. */
@LabTest
@Order(2)
@ExtendWith(SharedLab.class)
class LabTrafficTest {
  private static final Duration CURL = Duration.ofSeconds(60);

  @Test
  void usersReachEveryServerThroughEveryBalancerOverIpv4AndIpv6(RunningLab lab) {
    requireL7(lab);
    Topology t = lab.topology();
    List<InetAddress> v4 = t.clientAddresses().stream().filter(a -> !Cidr.host(a).isIpv6()).toList();
    List<InetAddress> v6 = t.clientAddresses().stream().filter(a -> Cidr.host(a).isIpv6()).toList();
    Map<String, Integer> answers = new TreeMap<>();
    int sources = 0;
    for (Node lb : t.nodesWithRole(Role.L7)) {
      var fabric = lb.on("fabric").orElseThrow();
      for (Cidr target : List.of(fabric.ipv4().orElseThrow(), fabric.ipv6().orElseThrow())) {
        List<InetAddress> from = target.isIpv6() ? v6 : v4;
        // 20 different client addresses per balancer and family, spread over the 200.
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < 20; i++) {
          InetAddress source = from.get((i * 10 + lb.index()) % from.size());
          script.append("curl -s --max-time 5 --interface ").append(Cidr.host(source).addressText()).append(' ')
              .append(url(target, "/")).append(" || echo FAILED\n");
          sources++;
        }
        Exec.Result r = Netns.exec("users", List.of("sh", "-c", script.toString()), CURL);
        for (String line : r.stdout().strip().split("\n")) {
          answers.merge(line.strip(), 1, Integer::sum);
        }
      }
    }
    List<String> servers = t.nodesWithRole(Role.SERVER).stream().map(Node::name).toList();
    assertThat(answers.keySet()).as("answers to %d requests: %s", sources, answers)
        .containsExactlyInAnyOrderElementsOf(servers);
    assertThat(answers.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(sources);
  }

  @Test
  void downloadThroughABalancerArrivesIntact(RunningLab lab, @TempDir Path dir) throws Exception {
    requireL7(lab);
    Node lb = lab.topology().node("LB7-2").orElseThrow();
    for (Cidr target : List.of(lb.on("fabric").orElseThrow().ipv4().orElseThrow(),
        lb.on("fabric").orElseThrow().ipv6().orElseThrow())) {
      Path file = dir.resolve("10M-" + (target.isIpv6() ? "v6" : "v4"));
      String source = target.isIpv6() ? "2001:db8::cb00:7105" : "203.0.113.5";
      Exec.Result r = Netns.exec("users", List.of("curl", "-s", "-f", "--max-time", "30", "--interface", source,
          "-o", file.toString(), url(target, "/" + Payload.NAME)), CURL);
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      byte[] body = Files.readAllBytes(file);
      assertThat(body).hasSize(Payload.SIZE);
      assertThat(Payload.sha256(body)).isEqualTo(Payload.sha256());
    }
  }

  @Test
  void serverDownloadWithProxyProtocolArrivesIntact(RunningLab lab, @TempDir Path dir) throws Exception {
    Node server = lab.topology().node("S4").orElseThrow();
    Cidr address = server.on("servers").orElseThrow().ipv6().orElseThrow();
    Path file = dir.resolve("10M");
    Exec.Result r = Netns.exec("LB7-1", List.of("curl", "-s", "-f", "--haproxy-protocol", "--max-time", "30",
        "-o", file.toString(), url(address, "/" + Payload.NAME)), CURL);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(Payload.sha256(Files.readAllBytes(file))).isEqualTo(Payload.sha256());
    Exec.Result name = Netns.exec("LB7-1", List.of("curl", "-s", "--haproxy-protocol", url(address, "/")), CURL);
    assertThat(name.stdout()).isEqualTo("S4\n");
    Exec.Result noProxyHeader = Netns.exec("LB7-1", List.of("curl", "-s", "--max-time", "5", url(address, "/")), CURL);
    assertThat(noProxyHeader.stdout()).as("nginx requires the PROXY protocol").doesNotContain("S4");
  }

  @Test
  void vipsAreOnEveryBalancersLoopbackAndRoutedByTheRouters(RunningLab lab) {
    for (Node lb : lab.topology().nodesWithRole(Role.L7)) {
      String addresses = Netns.exec(lb.name(), List.of("ip", "-o", "address", "show", "dev", "lo"), CURL).stdout();
      assertThat(addresses).contains("198.51.100.1/32", "198.51.100.2/32", "2001:db8::c633:6401/128",
          "2001:db8::c633:6402/128");
    }
    String routes = Netns.exec("R1", List.of("ip", "-6", "route", "show", "2001:db8::c633:6401"), CURL).stdout();
    assertThat(routes).as("ECMP to the directors, learnt over BGP").contains("nexthop via 2001:db8:0:3::88",
        "nexthop via 2001:db8:0:3::89", "nexthop via 2001:db8:0:3::90");
    String hash = Netns.exec("R1", List.of("sysctl", "-n", "net.ipv4.fib_multipath_hash_policy",
        "net.ipv6.fib_multipath_hash_policy", "net.ipv4.fib_multipath_hash_fields", "net.ipv6.fib_multipath_hash_fields"),
        CURL).stdout();
    assertThat(hash.lines().toList()).as("ECMP on the 5-tuple: addresses, protocol, ports (0x37)")
        .containsExactly("3", "3", "55", "55");
  }

  @Test
  void statusShowsEveryNodeWithLiveProcesses(RunningLab lab) throws Exception {
    LabStatus.View view = LabStatus.read(lab.paths());
    assertThat(view.phase()).isEqualTo("up");
    assertThat(view.nodes()).extracting(LabStatus.NodeView::name)
        .containsExactlyElementsOf(lab.topology().nodeNames());
    assertThat(view.nodes()).allMatch(LabStatus.NodeView::namespace);
    assertThat(view.nodes().stream().flatMap(n -> n.processes().stream())).allMatch(LabStatus.ProcessView::alive);
    assertThat(LabStatus.exitCode(view)).isZero();

    ByteArrayOutputStream json = new ByteArrayOutputStream();
    LabStatus.print(view, true, new PrintStream(json, true, StandardCharsets.UTF_8));
    JsonNode tree = ConfigLoader.json().readTree(json.toString(StandardCharsets.UTF_8));
    assertThat(tree.get("phase").asText()).isEqualTo("up");
    JsonNode s1 = tree.get("nodes").findParents("name").stream().filter(n -> n.get("name").asText().equals("S1"))
        .findFirst().orElseThrow();
    assertThat(s1.get("addresses").toString()).contains("2001:db8:0:4::11/64");
    assertThat(s1.get("processes").findValuesAsText("service")).contains("nginx");
  }

  @Test
  void statusWatchPrintsOneJsonObjectPerScreenWithTheTimeItWasTaken(RunningLab lab) throws Exception {
    awaitHealthy(lab);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LabCommand.Status status = new LabCommand.Status();
    status.json = true;
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = StatusWatch.of(Duration.ofSeconds(1), 2, StatusWatch.Output.JSON_LINES, out).run(status::screen);
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(2);
    List<List<String>> unhealthy = new ArrayList<>();
    for (String line : lines) {
      unhealthy.add(TierViewText.unhealthyLines(TierViewJson.tiers(line)));
    }
    assertThat(code).as("unhealthy in each screen: %s", unhealthy).isZero();
    List<Instant> taken = new ArrayList<>();
    for (String line : lines) {
      JsonNode screen = ConfigLoader.json().readTree(line);
      taken.add(Instant.parse(screen.path("taken").asText()));
      assertThat(screen.path("healthy").asBoolean()).as(line).isTrue();
      assertThat(screen.path("phase").asText()).isEqualTo("up");
      assertThat(screen.path("tiers").path("directors").size()).isEqualTo(3);
    }
    assertThat(taken.get(1)).isAfter(taken.get(0));
  }

  @Test
  void theViewAcrossTheTiersShowsEveryPathHealthyAndTheSameAsJson(RunningLab lab) throws Exception {
    TierView view = awaitHealthy(lab);
    List<String> lb4s = lab.topology().nodesWithRole(Role.L4).stream().map(Node::name).toList();
    List<String> lb7s = lab.topology().nodesWithRole(Role.L7).stream().map(Node::name).toList();
    List<String> servers = lab.topology().nodesWithRole(Role.SERVER).stream().map(Node::name).toList();
    assertThat(view.routers()).extracting(TierView.RouterRoutes::router)
        .containsExactly("R1", "R2");
    for (var r : view.routers()) {
      for (InetAddress vip : lab.topology().vips()) {
        assertThat(r.nextHops().get(Cidr.host(vip).addressText())).as(r.router() + " " + vip).isEqualTo(lb4s);
      }
      assertThat(r.nextHops().get("198.51.100.53")).as(r.router() + " DNS").containsExactly("DNS1", "DNS2");
    }
    List<String> peers = new ArrayList<>(lb4s);
    peers.addAll(List.of("R1", "R2", "DNS1", "DNS2"));
    assertThat(view.reflectors()).hasSize(2).allSatisfy(rr -> {
      assertThat(rr.sessions().keySet()).containsExactlyInAnyOrderElementsOf(peers);
      assertThat(rr.sessions().values()).containsOnly("ESTABLISHED");
    });
    assertThat(view.speakers()).hasSize(5).allMatch(TierView.Speaker::healthy);
    assertThat(view.directors()).hasSize(3).allSatisfy(d -> assertThat(d.backends())
        .extracting(TierView.Backend::name).containsExactlyElementsOf(lb7s));
    assertThat(view.balancers()).hasSize(4).allSatisfy(b -> assertThat(b.servers())
        .extracting(TierView.Server::name).containsExactlyElementsOf(servers));
    assertThat(view.directors()).allSatisfy(d -> assertThat(d.backends()).allMatch(b -> b.state().equals("UP")));
    assertThat(view.balancers()).allSatisfy(b -> assertThat(b.servers()).allMatch(s -> s.status().equals("UP")));
    assertThat(view.dns()).hasSize(2).allSatisfy(d -> assertThat(d.resources()).hasSize(3)
        .allMatch(r -> r.state().equalsIgnoreCase("up")));
    assertThat(TierViewText.render(view, false)).doesNotContain("!")
        .contains("LB7-4 UP 100").contains("S5 UP 100").contains("www up ttl");

    String printed = TierViewJson.render(LabStatus.read(lab.paths()), view);
    assertThat(TierViewJson.tiers(printed)).isEqualTo(view);
    assertThat(ConfigLoader.json().readTree(printed).path("healthy").asBoolean()).isTrue();
    JsonNode json = ConfigLoader.json().readTree(printed).path("tiers");
    assertThat(json.path("directors").get(0).path("backends").get(0).path("state").asText()).isEqualTo("UP");
    assertThat(json.path("routers").get(0).path("nextHops").path("198.51.100.1").size()).isEqualTo(lb4s.size());
  }

  @Test
  void execRunsInTheNodeWithItsOwnEtcLbAndPassesTheExitCode(RunningLab lab) throws Exception {
    Path marker = lab.paths().etcNetns().resolve("S2/lb/lab-test-marker");
    Files.writeString(marker, "S2 flags\n");
    try {
      assertThat(Netns.exec("S2", List.of("cat", "/etc/lb/lab-test-marker"), CURL).stdout()).isEqualTo("S2 flags\n");
      assertThat(Netns.exec("S3", List.of("cat", "/etc/lb/lab-test-marker"), CURL).ok()).isFalse();
    } finally {
      Files.delete(marker);
    }
    assertThat(ServiceMain.execute(new LabCommand(), "exec", "S2", "--", "sh", "-c", "exit 7")).isEqualTo(7);
    assertThat(ServiceMain.execute(new LabCommand(), "exec", "NOPE", "--", "true")).isEqualTo(ServiceMain.USAGE);
  }

  @Test
  void serversAreIpv6Only(RunningLab lab) {
    String v4 = Netns.exec("S1", List.of("ip", "-4", "-o", "address", "show", "dev", "servers"), CURL).stdout();
    assertThat(v4).isBlank();
    List<String> listening = new ArrayList<>(new TreeSet<>(List.of(Netns.exec("S1",
        List.of("ss", "-Hltn"), CURL).stdout().strip().split("\n"))));
    assertThat(String.join("\n", listening)).contains("[2001:db8:0:4::11]:80");
  }

  /**
   * The view once it is healthy (within 60 s), printing each unhealthy one meanwhile: lab up waited for a healthy view,
   * so anything printed here went unhealthy since, and CI's log shows what.
   */
  private static TierView awaitHealthy(RunningLab lab) throws InterruptedException {
    TierView view = TierView.awaitHealthy(lab.topology(), Duration.ofSeconds(60),
        v -> System.out.println(Instant.now() + " not healthy yet: " + TierViewText.unhealthyLines(v)));
    assertThat(view.healthy()).as("unhealthy after 60 s:\n%s", String.join("\n", TierViewText.unhealthyLines(view)))
        .isTrue();
    return view;
  }

  private static void requireL7(RunningLab lab) {
    assertThat(lab.l7())
        .as("the L7 tier (l7-agent: org.example.lb.l7.L7AgentCommand) is not in this checkout yet: merge main")
        .isTrue();
  }

  private static String url(Cidr address, String path) {
    return "http://" + (address.isIpv6() ? "[" + address.addressText() + "]" : address.addressText()) + path;
  }
}
