package org.example.lb.lab.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.test.Poll;
import org.example.lb.lab.LabUp;
import org.example.lb.lab.netns.Exec;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.node.LabServices;
import org.example.lb.lab.state.Resource;
import org.example.lb.lab.support.LabTest;
import org.example.lb.lab.support.RouterFib;
import org.example.lb.lab.support.SharedLab;
import org.example.lb.lab.support.Undo;
import org.example.lb.lab.support.SharedLab.RunningLab;
import org.example.lb.lab.topology.Role;
import org.example.lb.lab.topology.Topology.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BGP tier in the running lab: each LB4's bgp-speaker announces the VIPs through its gobgpd while its director
 * has a quorum; RR1/RR2 reflect every path (add-paths) to R1/R2, whose BIRD merges them into one multipath route per
 * VIP. Maintenance and failures are done as on real hosts: the flag file, a killed daemon, health checks that fail.
 * Users' requests run during each disruption and must all succeed.
 */
@LabTest
@Order(5)
@ExtendWith(SharedLab.class)
class BgpLabTest {
  private static final Duration CMD = Duration.ofSeconds(90);
  /** The lab's sessions: hold time 9 s (BgpConfigs). A silent or killed peer is gone at the latest then. */
  private static final Duration HOLD_TIME = Duration.ofSeconds(BgpConfigs.HOLD_SECONDS);
  /** A path coming back: GoBGP waits 5–10 s before its first connect, then the session and the update. */
  private static final Duration REJOIN = Duration.ofSeconds(40);
  private static final List<String> VIPS = List.of("198.51.100.1", "198.51.100.2", "2001:db8::c633:6401",
      "2001:db8::c633:6402");
  private static final List<String> DNS_ADDRESSES = List.of("198.51.100.53", "2001:db8::c633:6435");
  private static final Set<String> ALL_LB4 = Set.of("LB4-1", "LB4-2", "LB4-3");

  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Undo undo = new Undo();

  @AfterEach
  void restore() {
    try {
      undo.runAll();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void everyRouterHoldsOneNextHopPerAnnouncingNode(RunningLab lab) {
    RouterFib.awaitNextHops(lab, VIPS, ALL_LB4, REJOIN);
    RouterFib.awaitNextHops(lab, DNS_ADDRESSES, Set.of("DNS1", "DNS2"), REJOIN);
    for (String router : RouterFib.ROUTERS) {
      String route = Netns.exec(router, List.of("ip", "route", "show", "198.51.100.1"), CMD).stdout();
      assertThat(route).as("%s's route to a VIP", router).contains("proto bird");
    }
  }

  @Test
  void everySessionIsEstablishedAndEverySpeakerReportsWhatItAnnounces(RunningLab lab) throws Exception {
    RouterFib.awaitNextHops(lab, VIPS, ALL_LB4, REJOIN);
    RouterFib.awaitNextHops(lab, DNS_ADDRESSES, Set.of("DNS1", "DNS2"), REJOIN);
    BgpTier bgp = new BgpTier(lab.root(), lab.paths());
    for (String router : RouterFib.ROUTERS) {
      String protocols = Netns.exec(router, List.of("birdc", "-s", bgp.birdSocket(router).toString(), "show",
          "protocols"), CMD).stdout();
      assertThat(protocols.lines().filter(l -> l.startsWith("reflector")))
          .as("%s: BIRD's sessions with the reflectors:%n%s", router, protocols)
          .hasSize(2).allMatch(l -> l.contains("Established"));
    }
    List<Node> speakers = BgpTier.speakers(lab.topology());
    for (Node rr : lab.topology().nodesWithRole(Role.REFLECTOR)) {
      JsonNode neighbours = json(rr.name(), List.of("gobgp", "neighbor", "-j"));
      assertThat(neighbours).as("%s's sessions: %s", rr.name(), neighbours)
          .hasSize(RouterFib.ROUTERS.size() + speakers.size())
          .allMatch(n -> n.path("state").path("session_state").asInt() == 6); // ESTABLISHED
    }
    for (Node speaker : speakers) {
      int prefixes = BgpTier.announced(lab.topology(), speaker).size();
      JsonNode status = speakerStatus(speaker.name());
      assertThat(status.path("health").path("state").asText()).as("%s: %s", speaker.name(), status).isEqualTo("UP");
      assertThat(status.path("gobgpd").path("inSync").asBoolean()).as("%s: %s", speaker.name(), status).isTrue();
      assertThat(status.path("announced")).as("%s: %s", speaker.name(), status).hasSize(prefixes);
      assertThat(status.path("peers")).as("%s: %s", speaker.name(), status).hasSize(2).allMatch(
          p -> p.path("state").asText().equals("ESTABLISHED") && p.path("advertised").asInt() == prefixes);
    }
    Exec.Result shown = Netns.exec("LB4-2", List.of(lab.root().resolve("bin/bgp-speaker").toString(), "status",
        "--config", lab.paths().node("LB4-2").conf().resolve("bgp-speaker.yaml").toString()), CMD);
    assertThat(shown.exitCode()).as(shown.stderr()).isZero();
    assertThat(shown.stdout()).contains("health UP", "in sync", "198.51.100.1/32", "2001:db8::c633:6402/128",
        "192.0.2.67", "192.0.2.68");
  }

  @Test
  void theDisableFileWithdrawsAnLb4AndRemovingItBringsItBack(RunningLab lab, @TempDir Path dir) throws Exception {
    RouterFib.awaitNextHops(lab, VIPS, ALL_LB4, REJOIN);
    Requests requests = Requests.start(dir, threads);

    long touched = System.nanoTime();
    run("LB4-2", "touch /etc/lb/disable");
    undo.add(() -> run("LB4-2", "rm -f /etc/lb/disable"));
    RouterFib.awaitNextHops(lab, VIPS, Set.of("LB4-1", "LB4-3"), Duration.ofSeconds(5));
    long withdrawnMillis = millisSince(touched);
    assertThat(speakerStatus("LB4-2").path("health").path("state").asText()).isEqualTo("DISABLED");
    RouterFib.awaitNextHops(lab, DNS_ADDRESSES, Set.of("DNS1", "DNS2"), Duration.ofSeconds(5));

    long removed = System.nanoTime();
    run("LB4-2", "rm /etc/lb/disable");
    RouterFib.awaitNextHops(lab, VIPS, ALL_LB4, Duration.ofSeconds(10));
    long backMillis = millisSince(removed);
    System.out.printf("LB4-2 /etc/lb/disable: withdrawn from R1 and R2 in %d ms, back in %d ms after removal%n",
        withdrawnMillis, backMillis);
    requests.assertAllSucceeded();
  }

  @Test
  void anLb4WhoseGobgpdIsKilledLeavesWithinTheHoldTimeAndComesBackWhenItRestarts(RunningLab lab, @TempDir Path dir)
      throws Exception {
    RouterFib.awaitNextHops(lab, VIPS, ALL_LB4, REJOIN);
    Requests requests = Requests.start(dir, threads);
    LabServices services = new LabServices(lab.paths(), LabUp.serviceEnvironment(lab.root()));
    long killed = System.nanoTime();
    Resource.Process gobgpd = services.kill("LB4-3", "gobgpd");
    undo.add(() -> RouterFib.awaitNextHops(lab, VIPS, ALL_LB4, REJOIN));
    undo.restart(services, gobgpd);
    RouterFib.awaitNextHops(lab, VIPS, Set.of("LB4-1", "LB4-2"), HOLD_TIME.plusSeconds(3));
    long goneMillis = millisSince(killed);

    long restarted = System.nanoTime();
    services.start(gobgpd);
    undo.forgetLast();
    RouterFib.awaitNextHops(lab, VIPS, ALL_LB4, REJOIN);
    long backMillis = millisSince(restarted);
    System.out.printf("LB4-3 gobgpd killed: gone from R1 and R2 in %d ms; restarted: back in %d ms"
        + " (the speaker restores its instance, peers and routes)%n", goneMillis, backMillis);
    requests.assertAllSucceeded();
  }

  @Test
  void anLb4ThatLosesItsQuorumIsWithdrawnAndComesBackWithIt(RunningLab lab, @TempDir Path dir) throws Exception {
    RouterFib.awaitNextHops(lab, VIPS, ALL_LB4, REJOIN);
    Requests requests = Requests.start(dir, threads);
    // Every LB7 unhealthy from LB4-1's view: its health checks (TCP and HTTP to port 80 on the fabric) are dropped.
    // The tunnelled traffic (IPIP / IP6IP6) is not TCP at the outer layer and still flows.
    long cut = System.nanoTime();
    run("LB4-1", "nft add table inet bgplabtest && nft add chain inet bgplabtest out "
        + "'{ type filter hook output priority 0; }' && nft add rule inet bgplabtest out tcp dport 80 drop");
    undo.add(() -> run("LB4-1", "nft delete table inet bgplabtest 2>/dev/null || true"));
    RouterFib.awaitNextHops(lab, VIPS, Set.of("LB4-2", "LB4-3"), Duration.ofSeconds(15));
    long withdrawnMillis = millisSince(cut);
    assertThat(speakerStatus("LB4-1").path("health").path("state").asText()).isEqualTo("DOWN");

    long healed = System.nanoTime();
    run("LB4-1", "nft delete table inet bgplabtest");
    RouterFib.awaitNextHops(lab, VIPS, ALL_LB4, Duration.ofSeconds(15));
    long backMillis = millisSince(healed);
    System.out.printf("LB4-1 without quorum: withdrawn in %d ms; quorum back: announced in %d ms%n",
        withdrawnMillis, backMillis);
    requests.assertAllSucceeded();
  }

  // --- helpers ---

  /**
   * Requests from the users to every VIP, one after another, until {@link #assertAllSucceeded}. A new flow that
   * reached an LB4 in the instant it lost its LB7s is dropped there; TCP retransmits the SYN, by then towards
   * another LB4, hence the 10 s limit per request.
   */
  private record Requests(Path stop, Path out, CompletableFuture<Exec.Result> loop) {
    static Requests start(Path dir, ExecutorService threads) {
      Path stop = dir.resolve("stop");
      Path out = dir.resolve("codes");
      StringBuilder urls = new StringBuilder();
      for (String vip : VIPS) {
        urls.append(' ').append(vip.contains(":") ? "http://[" + vip + "]/" : "http://" + vip + "/");
      }
      String loop = "i=0; while [ ! -e " + stop + " ]; do for u in" + urls + "; do i=$((i % 150 + 1)); "
          + "case $u in *\\[*) src=2001:db8::cb00:71$(printf %02x $i);; *) src=203.0.113.$i;; esac; "
          + "curl -s -o /dev/null -w '%{http_code} %{time_total}\\n' --max-time 10 --interface $src $u "
          + "|| echo \"FAILED $u from $src\"; done; done > " + out;
      CompletableFuture<Exec.Result> running = CompletableFuture.supplyAsync(
          () -> Netns.exec("users", List.of("sh", "-c", loop), Duration.ofMinutes(5)), threads);
      Requests r = new Requests(stop, out, running);
      Poll.until(Duration.ofSeconds(10), "requests are flowing", () -> r.lines().size() > 4);
      return r;
    }

    List<String> lines() {
      try {
        return Files.exists(out) ? Files.readAllLines(out).stream().filter(l -> !l.isBlank()).toList() : List.of();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void assertAllSucceeded() throws Exception {
      Files.writeString(stop, "");
      loop.get();
      List<String> lines = lines();
      Set<String> codes = new TreeSet<>(lines.stream().map(l -> l.split(" ")[0]).toList());
      double slowest = lines.stream().filter(l -> l.startsWith("200 ")).mapToDouble(l -> Double.parseDouble(
          l.split(" ")[1])).max().orElse(0);
      System.out.printf("%d requests meanwhile: %s, slowest %.3f s%n", lines.size(), codes, slowest);
      assertThat(lines).as("requests during the disruption").hasSizeGreaterThan(4)
          .allSatisfy(l -> assertThat(l).startsWith("200 "));
    }
  }

  private static JsonNode speakerStatus(String node) {
    return json(node, List.of("curl", "-s", "--max-time", "5",
        "http://127.0.0.1:" + BgpTier.SPEAKER_ADMIN_PORT + "/status"));
  }

  private static JsonNode json(String node, List<String> command) {
    Exec.Result r = Netns.exec(node, command, CMD);
    try {
      return ConfigLoader.json().readTree(r.stdout());
    } catch (IOException e) {
      throw new UncheckedIOException(node + ": " + command + ": " + r.stdout() + r.stderr(), e);
    }
  }

  private static void run(String node, String script) {
    Exec.Result r = Netns.exec(node, List.of("sh", "-c", script), CMD);
    assertThat(r.exitCode()).as("%s: %s: %s", node, script, r.stderr()).isZero();
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
