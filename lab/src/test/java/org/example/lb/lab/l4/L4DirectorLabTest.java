package org.example.lb.lab.l4;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.test.Poll;
import org.example.lb.lab.LabUp;
import org.example.lb.lab.netns.Exec;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.node.LabServices;
import org.example.lb.lab.node.Payload;
import org.example.lb.lab.state.Journal;
import org.example.lb.lab.state.Resource;
import org.example.lb.lab.support.LabTest;
import org.example.lb.lab.support.RouterFib;
import org.example.lb.lab.support.SharedLab;
import org.example.lb.lab.support.Undo;
import org.example.lb.lab.support.SharedLab.RunningLab;
import org.example.lb.lab.topology.Cidr;
import org.example.lb.lab.topology.Role;
import org.example.lb.lab.topology.Topology.Node;
import org.example.lb.l7.haproxy.HaproxyConfig;
import org.example.lb.l7.runtime.RuntimeSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The L4 tier in the running lab: users → routers (ECMP over the LB4s that announce the VIPs) → l4-director (TUN, Maglev, IPIP /
 * IP6IP6) → tunnel endpoint on each LB7 → HAProxy → nginx, replies straight back. Maintenance and failures are done
 * as an operator would: flag files inside the node, stopping a process.
 */
@LabTest
@Order(4)
@ExtendWith(SharedLab.class)
class L4DirectorLabTest {
  private static final Duration CMD = Duration.ofSeconds(90);
  /** The lab's directors check every 500 ms with fall 2 (lab/…/L4Configs). */
  private static final Duration HEALTH_INTERVAL = Duration.ofMillis(500);
  private static final int FALL = 2;
  private static final List<String> VIPS = List.of("198.51.100.1", "198.51.100.2", "2001:db8::c633:6401",
      "2001:db8::c633:6402");

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
  void requestsFromManySourcesReachEveryServerAndEveryLb7ThroughBothVipsOverIpv4AndIpv6(RunningLab lab) {
    Map<String, Long> flowsBefore = flowsPerLb7(lab);
    Map<String, Long> receivedBefore = receivedPerDirector(lab);
    Map<String, Integer> answers = new TreeMap<>();
    int requests = 0;
    for (String vip : VIPS) {
      List<InetAddress> sources = sources(lab, vip.contains(":"));
      StringBuilder script = new StringBuilder();
      for (int i = 0; i < 30; i++) {
        InetAddress source = sources.get((i * 7 + VIPS.indexOf(vip)) % sources.size());
        script.append("curl -s --max-time 5 --interface ").append(text(source)).append(' ').append(url(vip, "/"))
            .append(" || echo FAILED\n");
        requests++;
      }
      Exec.Result r = Netns.exec("users", List.of("sh", "-c", script.toString()), CMD);
      for (String line : r.stdout().strip().split("\n")) {
        answers.merge(line.strip(), 1, Integer::sum);
      }
    }
    List<String> servers = lab.topology().nodesWithRole(Role.SERVER).stream().map(Node::name).toList();
    assertThat(answers.keySet()).as("answers to %d requests through the VIPs: %s", requests, answers)
        .containsExactlyInAnyOrderElementsOf(servers);
    Map<String, Long> flowsAfter = flowsPerLb7(lab);
    for (Node lb7 : lab.topology().nodesWithRole(Role.L7)) {
      assertThat(flowsAfter.get(lb7.name()) - flowsBefore.getOrDefault(lb7.name(), 0L))
          .as("new flows on %s (before %s, after %s)", lb7.name(), flowsBefore, flowsAfter).isPositive();
    }
    Map<String, Long> receivedAfter = receivedPerDirector(lab);
    for (Node lb4 : lab.topology().nodesWithRole(Role.L4)) {
      assertThat(receivedAfter.get(lb4.name()) - receivedBefore.getOrDefault(lb4.name(), 0L))
          .as("packets the routers sent to %s", lb4.name()).isPositive();
    }
  }

  @Test
  void tenMegabyteDownloadsThroughTheTunnelArriveIntactOverIpv4AndIpv6(RunningLab lab, @TempDir Path dir)
      throws Exception {
    for (String vip : VIPS) {
      Path file = dir.resolve("10M-" + VIPS.indexOf(vip));
      String source = vip.contains(":") ? "2001:db8::cb00:7133" : "203.0.113.51";
      Exec.Result r = Netns.exec("users", List.of("curl", "-s", "-f", "--max-time", "60", "--interface", source,
          "-o", file.toString(), url(vip, "/" + Payload.NAME)), CMD);
      assertThat(r.exitCode()).as("download from %s: %s", vip, r.stderr()).isZero();
      assertThat(Payload.sha256(Files.readAllBytes(file))).as("body from %s", vip).isEqualTo(Payload.sha256());
    }
  }

  @Test
  void anLb4InMaintenanceLeavesTheRoutersAndItsLongDownloadsSurvive(RunningLab lab, @TempDir Path dir)
      throws Exception {
    RouterFib.awaitNextHops(lab, VIPS, List.of("LB4-1", "LB4-2", "LB4-3"), Duration.ofSeconds(30));
    long lb42Before = receivedPerDirector(lab).get("LB4-2");
    long peerHitsBefore = peerHits(lab, "LB4-1") + peerHits(lab, "LB4-3");
    List<CompletableFuture<Exec.Result>> downloads = new ArrayList<>();
    List<Path> bodies = new ArrayList<>();
    // The routers hash each flow onto one of the three LB4s, so 12 flows all miss LB4-2 about once in 130 runs: add
    // downloads, 4 at a time, until some of them run through it.
    int lastBatch;
    for (int batch = 12; ; batch = 4) {
      lastBatch = downloads.size();
      for (int n = 0; n < batch; n++) {
        int i = downloads.size();
        String vip = VIPS.get(i % VIPS.size());
        String source =
            vip.contains(":") ? "2001:db8::cb00:71" + Integer.toHexString(0x40 + i) : "203.0.113." + (60 + i);
        Path body = dir.resolve("10M-" + i);
        bodies.add(body);
        downloads.add(slowDownload(source, vip, body));
      }
      if (Poll.holdsWithin(Duration.ofSeconds(3), () -> receivedPerDirector(lab).get("LB4-2") > lb42Before + 100)) {
        break;
      }
      assertThat(downloads.size()).as("downloads started without any of their packets reaching LB4-2: %s",
          downloads.stream().map(d -> d.isDone() ? "done " + d.join().exitCode() : "running").toList())
          .isLessThan(32);
    }

    // Maintenance as on a real LB4: its speaker withdraws the VIPs and the routers rehash its flows to the others.
    Exec.Result touch = Netns.exec("LB4-2", List.of("touch", "/etc/lb/disable"), CMD);
    assertThat(touch.exitCode()).as(touch.stderr()).isZero();
    undo.add(() -> {
      Netns.exec("LB4-2", List.of("rm", "-f", "/etc/lb/disable"), CMD);
      RouterFib.awaitNextHops(lab, VIPS, List.of("LB4-1", "LB4-2", "LB4-3"), Duration.ofSeconds(30));
    });
    RouterFib.awaitNextHops(lab, VIPS, List.of("LB4-1", "LB4-3"), Duration.ofSeconds(10));
    long lb42AfterRemoval = receivedPerDirector(lab).get("LB4-2");
    assertThat(downloads.subList(lastBatch, downloads.size()))
        .as("the downloads that reached LB4-2 still running when it left the next hops (1 MB/s: about 10 s each)")
        .noneMatch(CompletableFuture::isDone);
    for (int i = 0; i < downloads.size(); i++) {
      Exec.Result r = downloads.get(i).get();
      assertThat(r.exitCode()).as("download %d after LB4-2 left the next hops: %s", i, r.stderr()).isZero();
      assertThat(Payload.sha256(Files.readAllBytes(bodies.get(i)))).as("body %d", i).isEqualTo(Payload.sha256());
    }
    assertThat(receivedPerDirector(lab).get("LB4-2") - lb42AfterRemoval)
        .as("packets LB4-2 received once no router sent it any").isLessThan(50);
    assertThat(peerHits(lab, "LB4-1") + peerHits(lab, "LB4-3") - peerHitsBefore)
        .as("mid-flow packets LB4-1 and LB4-3 sent where LB4-2 had pinned the flow (flow sync)").isPositive();
  }

  /** Mid-flow packets of unknown flows the director sent to the LB7 a peer named (flow sync). */
  private static long peerHits(RunningLab lab, String lb4) {
    long sum = 0;
    for (JsonNode w : status(lb4).path("workers")) {
      sum += w.path("peerHits").asLong();
    }
    return sum;
  }

  @Test
  void lb72InMaintenanceDrainsItsDownloadsFinishAndNoNewFlowReachesIt(RunningLab lab, @TempDir Path dir)
      throws Exception {
    RuntimeSocket lb72 = runtime(lab, "LB7-2");
    List<CompletableFuture<Exec.Result>> downloads = new ArrayList<>();
    List<Path> bodies = new ArrayList<>();
    for (int i = 0; i < 40 && serversSessions(lb72) == 0; i++) {
      String vip = VIPS.get(i % VIPS.size());
      String source = vip.contains(":") ? "2001:db8::cb00:71" + Integer.toHexString(0x80 + i) : "203.0.113." + (100 + i);
      Path body = dir.resolve("10M-" + i);
      bodies.add(body);
      downloads.add(slowDownload(source, vip, body));
      int started = downloads.size();
      Poll.until(Duration.ofSeconds(5), "download " + started + " is a session on some LB7",
          () -> downloads.get(started - 1).isDone()
              || totalServerSessions(lab) >= downloads.stream().filter(d -> !d.isDone()).count());
    }
    assertThat(serversSessions(lb72)).as("a download runs through LB7-2").isPositive();

    flag(lab, "LB7-2", "maint");
    undo.add(() -> {
      Netns.exec("LB7-2", List.of("rm", "-f", "/etc/lb/agent-check"), CMD);
      awaitState(lab, "LB7-2", "UP", Duration.ofSeconds(15));
    });
    awaitState(lab, "LB7-2", "DRAINING", Duration.ofSeconds(10));

    long forwardedBefore = serversTotal(lb72);
    Map<String, Integer> answers = new TreeMap<>();
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      String vip = VIPS.get(i % VIPS.size());
      String source = vip.contains(":") ? "2001:db8::cb00:71" + Integer.toHexString(0x10 + i) : "203.0.113." + (1 + i);
      script.append("curl -s -o /dev/null -w '%{http_code}\\n' --max-time 5 --interface ").append(source).append(' ')
          .append(url(vip, "/")).append('\n');
    }
    for (String line : Netns.exec("users", List.of("sh", "-c", script.toString()), CMD).stdout().strip().split("\n")) {
      answers.merge(line.strip(), 1, Integer::sum);
    }
    assertThat(answers).as("60 new requests while LB7-2 drains").containsOnly(Map.entry("200", 60));
    assertThat(serversTotal(lb72) - forwardedBefore).as("requests LB7-2 forwarded to its servers meanwhile")
        .isZero();
    for (int i = 0; i < downloads.size(); i++) {
      Exec.Result r = downloads.get(i).get();
      assertThat(r.exitCode()).as("download %d across LB7-2's drain: %s", i, r.stderr()).isZero();
      assertThat(Payload.sha256(Files.readAllBytes(bodies.get(i)))).as("body %d", i).isEqualTo(Payload.sha256());
    }
  }

  @Test
  void stoppingLb73sHaproxyTakesItOutWithinIntervalTimesFall(RunningLab lab) throws Exception {
    awaitState(lab, "LB7-3", "UP", Duration.ofSeconds(15));
    LabServices services = new LabServices(lab.paths(), LabUp.serviceEnvironment(lab.root()));
    long stoppedAt = System.nanoTime();
    Resource.Process haproxy = services.stop("LB7-3", "haproxy", Duration.ofSeconds(5));
    undo.add(() -> awaitState(lab, "LB7-3", "UP", Duration.ofSeconds(20)));
    undo.restart(services, haproxy);
    // interval × fall, plus one interval for the phase of the check timer and one for polling and a busy machine.
    Duration bound = HEALTH_INTERVAL.multipliedBy(FALL + 2);
    awaitState(lab, "LB7-3", "DOWN", bound.plusSeconds(1));
    long tookMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
    System.out.printf("LB7-3 HAProxy stopped -> DOWN on every director in %d ms (interval %d ms × fall %d)%n",
        tookMillis, HEALTH_INTERVAL.toMillis(), FALL);
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      String vip = VIPS.get(i % VIPS.size());
      String source = vip.contains(":") ? "2001:db8::cb00:71" + Integer.toHexString(0x20 + i) : "203.0.113." + (140 + i);
      script.append("curl -s -o /dev/null -w '%{http_code}\\n' --max-time 5 --interface ").append(source).append(' ')
          .append(url(vip, "/")).append('\n');
    }
    String codes = Netns.exec("users", List.of("sh", "-c", script.toString()), CMD).stdout();
    assertThat(codes.strip().split("\n")).as("40 requests with LB7-3 down").hasSize(40).containsOnly("200");
  }

  @Test
  void tenReloadsOfEveryDirectorUnderLoadLoseNoRequest(RunningLab lab, @TempDir Path dir) throws Exception {
    Path stop = dir.resolve("stop");
    Path out = dir.resolve("codes");
    String loop = "i=0; while [ ! -e " + stop + " ]; do i=$((i % 150 + 1)); curl -s -o /dev/null -w '%{http_code}\\n' "
        + "--max-time 5 --interface 203.0.113.$i http://198.51.100.2/; done > " + out;
    CompletableFuture<Exec.Result> requests = CompletableFuture.supplyAsync(
        () -> Netns.exec("users", List.of("sh", "-c", loop), Duration.ofMinutes(5)), threads);
    Path body = dir.resolve("10M");
    CompletableFuture<Exec.Result> download = slowDownload("2001:db8::cb00:71c0", "2001:db8::c633:6401", body);
    Poll.until(Duration.ofSeconds(10), "requests are flowing", () -> lines(out).size() > 10);

    List<Node> directors = lab.topology().nodesWithRole(Role.L4);
    for (int round = 0; round < 10; round++) {
      String weight = round % 2 == 0 ? "50" : "100";
      for (Node lb4 : directors) {
        Path config = lab.paths().node(lb4.name()).conf().resolve("l4-director.yaml");
        String text = Files.readString(config);
        Files.writeString(config, text.replaceFirst("(name: \"LB7-4\".*weight: )\\d+", "$1" + weight));
      }
      for (Node lb4 : directors) {
        Poll.until(Duration.ofSeconds(10), lb4.name() + " applied LB7-4 weight " + weight, () -> {
          for (JsonNode b : status(lb4.name()).path("backends")) {
            if (b.path("name").asText().equals("LB7-4")) {
              return b.path("weight").asInt() == Integer.parseInt(weight);
            }
          }
          return false;
        });
      }
    }
    Files.writeString(stop, "");
    requests.get();
    List<String> codes = lines(out);
    System.out.printf("10 reloads of 3 directors under load: %d requests, statuses %s%n", codes.size(),
        new java.util.TreeSet<>(codes));
    assertThat(codes).as("requests across the reloads").hasSizeGreaterThan(50).containsOnly("200");
    Exec.Result r = download.get();
    assertThat(r.exitCode()).as("download across the reloads: %s", r.stderr()).isZero();
    assertThat(Payload.sha256(Files.readAllBytes(body))).isEqualTo(Payload.sha256());
    for (Node lb4 : directors) {
      assertThat(status(lb4.name()).path("lastReload").asText()).as(lb4.name()).contains("applied");
    }
    // SIGHUP reloads too (the file is unchanged: the same config is applied again).
    String before = status("LB4-1").path("lastReload").asText();
    long pid = Journal.read(lab.paths().journal()).orElseThrow().processes().stream()
        .filter(p -> p.node().equals("LB4-1") && p.service().equals("l4-director")).findFirst().orElseThrow().pid();
    Exec.Result hup = Exec.run(List.of("kill", "-HUP", Long.toString(pid)), CMD);
    assertThat(hup.exitCode()).as(hup.stderr()).isZero();
    Poll.until(Duration.ofSeconds(10), "LB4-1 reloaded on SIGHUP",
        () -> !status("LB4-1").path("lastReload").asText().equals(before));
    assertThat(status("LB4-1").path("lastReload").asText()).contains("applied");
  }

  // --- helpers ---

  /**
   * A download of /slow/10M (the 10 MB body, sent by nginx at 1 MB/s: about 10 s) from {@code source} to
   * {@code vip}, into {@code body}. Server-side pacing: curl's --limit-rate lets a transfer finish early when the
   * body fits in the socket buffers.
   */
  private CompletableFuture<Exec.Result> slowDownload(String source, String vip, Path body) {
    return CompletableFuture.supplyAsync(() -> Netns.exec("users", List.of("curl", "-s", "-f", "--max-time", "60",
        "--interface", source, "-o", body.toString(), url(vip, "/slow/" + Payload.NAME)), CMD), threads);
  }

  private static void flag(RunningLab lab, String node, String content) {
    Exec.Result r = Netns.exec(node, List.of("sh", "-c", "echo '" + content + "' > /etc/lb/agent-check"), CMD);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
  }

  /** Waits until every director reports {@code lb7} in {@code state}. */
  private static void awaitState(RunningLab lab, String lb7, String state, Duration deadline) {
    for (Node lb4 : lab.topology().nodesWithRole(Role.L4)) {
      Poll.until(deadline, lb4.name() + " sees " + lb7 + " " + state, () -> {
        for (JsonNode b : status(lb4.name()).path("backends")) {
          if (b.path("name").asText().equals(lb7)) {
            return b.path("state").asText().equals(state);
          }
        }
        return false;
      });
    }
  }

  private static JsonNode status(String lb4) {
    Exec.Result r = Netns.exec(lb4, List.of("curl", "-s", "--max-time", "5",
        "http://127.0.0.1:" + L4Tier.DIRECTOR_ADMIN_PORT + "/status"), CMD);
    try {
      return ConfigLoader.json().readTree(r.stdout());
    } catch (IOException e) {
      throw new UncheckedIOException(lb4 + " /status: " + r.stdout() + r.stderr(), e);
    }
  }

  private static Map<String, Long> flowsPerLb7(RunningLab lab) {
    Map<String, Long> flows = new TreeMap<>();
    for (Node lb4 : lab.topology().nodesWithRole(Role.L4)) {
      for (JsonNode b : status(lb4.name()).path("backends")) {
        flows.merge(b.path("name").asText(), b.path("flows").asLong(), Long::sum);
      }
    }
    return flows;
  }

  private static Map<String, Long> receivedPerDirector(RunningLab lab) {
    Map<String, Long> received = new TreeMap<>();
    for (Node lb4 : lab.topology().nodesWithRole(Role.L4)) {
      long sum = 0;
      for (JsonNode w : status(lb4.name()).path("workers")) {
        sum += w.path("received").asLong();
      }
      received.put(lb4.name(), sum);
    }
    return received;
  }

  private static RuntimeSocket runtime(RunningLab lab, String lb7) {
    return RuntimeSocket.open(lab.paths().node(lb7).run().resolve("admin.sock"));
  }

  /** Sessions LB7's HAProxy has open towards its servers now. */
  private static long serversSessions(RuntimeSocket lb7) {
    return serversRow(lb7).scur().orElse(0);
  }

  /** Requests LB7's HAProxy forwarded to its servers since it started (its own /healthcheck answers excluded). */
  private static long serversTotal(RuntimeSocket lb7) {
    return serversRow(lb7).stot().orElse(0);
  }

  private static org.example.lb.l7.runtime.StatRow serversRow(RuntimeSocket lb7) {
    return lb7.showStat().stream()
        .filter(s -> s.pxname().equals(HaproxyConfig.SERVERS_BACKEND) && s.svname().equals("BACKEND"))
        .findFirst().orElseThrow();
  }

  private static long totalServerSessions(RunningLab lab) {
    long sum = 0;
    for (Node lb7 : lab.topology().nodesWithRole(Role.L7)) {
      sum += serversSessions(runtime(lab, lb7.name()));
    }
    return sum;
  }

  private static List<InetAddress> sources(RunningLab lab, boolean v6) {
    return lab.topology().clientAddresses().stream().filter(a -> Cidr.host(a).isIpv6() == v6).toList();
  }

  private static String text(InetAddress a) {
    return Cidr.host(a).addressText();
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList() : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String url(String vip, String path) {
    return "http://" + (vip.contains(":") ? "[" + vip + "]" : vip) + path;
  }
}
