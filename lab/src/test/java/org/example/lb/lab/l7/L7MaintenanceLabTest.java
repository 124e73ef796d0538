package org.example.lb.lab.l7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.example.lb.common.test.Poll;
import org.example.lb.lab.netns.Exec;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.node.Payload;
import org.example.lb.lab.support.LabTest;
import org.example.lb.lab.support.SharedLab;
import org.example.lb.lab.support.SharedLab.RunningLab;
import org.example.lb.lab.topology.Role;
import org.example.lb.lab.topology.Topology.Node;
import org.example.lb.l7.haproxy.HaproxyConfig;
import org.example.lb.l7.runtime.OperationalState;
import org.example.lb.l7.runtime.RuntimeSocket;
import org.example.lb.l7.runtime.ServerAdminState;
import org.example.lb.l7.runtime.ServerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance of the L7 tier in the running lab, done exactly as an operator would: by writing flag files inside
 * the nodes ({@code bin/lab exec S3 -- sh -c 'echo drain > /etc/lb/agent-check'}).
 */
@LabTest
@Order(3)
@ExtendWith(SharedLab.class)
class L7MaintenanceLabTest {
  private static final Duration CONVERGE = Duration.ofSeconds(10);
  private static final Duration CMD = Duration.ofSeconds(60);

  /** Concurrent shell loops: the common pool has a parallelism of 1 on a 2-core machine. */
  private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
  private RunningLab lab;

  @AfterEach
  void clearFlags() {
    if (lab == null) {
      return;
    }
    for (Node n : lab.topology().nodes()) {
      if (n.role() == Role.SERVER || n.role() == Role.L7) {
        Netns.exec(n.name(), List.of("rm", "-f", "/etc/lb/agent-check"), CMD);
      }
    }
    for (Node lb : balancers()) {
      Poll.until(CONVERGE, lb.name() + " back to every server ready", () ->
          runtime(lb).showServersState(HaproxyConfig.SERVERS_BACKEND).servers().stream()
              .allMatch(s -> s.adminState().effective() == ServerAdminState.READY && s.userWeight() == 100));
    }
  }

  @Test
  void drainedServerFinishesItsDownloadAndGetsNoNewRequestsThenDownAndReady(RunningLab lab, @TempDir Path dir)
      throws Exception {
    this.lab = lab;
    Path body = dir.resolve("10M");
    CompletableFuture<Exec.Result> download = downloadThroughLb71FromS3(body, "203.0.113.33");
    flag("S3", "drain");
    awaitOnEveryBalancer("S3 drained, others ready", states ->
        states.get("S3").adminState().effective() == ServerAdminState.DRAIN
            && ALL_BUT_S3.stream().allMatch(s -> states.get(s).adminState().effective() == ServerAdminState.READY));
    assertThat(download).as("the download is still running while S3 drains").isNotDone();

    Map<String, Integer> answers = requests(60);
    assertThat(answers).as("no new request reaches a drained server").doesNotContainKey("S3")
        .containsKeys("S1", "S2", "S4", "S5");

    Exec.Result r = download.get();
    assertThat(r.exitCode()).as("download through a drain: %s", r.stderr()).isZero();
    assertThat(Payload.sha256(Files.readAllBytes(body))).isEqualTo(Payload.sha256());

    flag("S3", "down #disk replaced");
    awaitOnEveryBalancer("S3 down", states -> states.get("S3").operationalState().equals(OperationalState.STOPPED));
    assertThat(requests(40)).doesNotContainKey("S3");

    flag("S3", "ready");
    awaitOnEveryBalancer("S3 back", states -> states.get("S3").operationalState().equals(OperationalState.RUNNING)
        && states.get("S3").adminState().effective() == ServerAdminState.READY);
    Poll.until(CONVERGE, "requests reach S3 again", () -> requests(20).containsKey("S3"));
  }

  @Test
  void maintDrainsFirstAndEntersMaintOnlyWhenTheDownloadHasEnded(RunningLab lab, @TempDir Path dir) throws Exception {
    this.lab = lab;
    Path body = dir.resolve("10M");
    CompletableFuture<Exec.Result> download = downloadThroughLb71FromS3(body, "203.0.113.44");
    flag("S3", "maint");

    // LB7-1 carries the download: S3 stays in DRAIN there until it ends. Balancers without sessions on S3
    // go straight through the drain to MAINT.
    awaitOnEveryBalancer("S3 leaves READY", states -> states.get("S3").adminState().effective() != ServerAdminState.READY);
    assertThat(download).isNotDone();
    assertThat(runtime(node("LB7-1")).showServersState(HaproxyConfig.SERVERS_BACKEND).server(
        HaproxyConfig.SERVERS_BACKEND, "S3").orElseThrow().adminState().effective())
        .as("S3 on LB7-1 while its download runs").isEqualTo(ServerAdminState.DRAIN);
    assertThat(requests(30)).doesNotContainKey("S3");

    Exec.Result r = download.get();
    assertThat(r.exitCode()).as("download through maint: %s", r.stderr()).isZero();
    assertThat(Payload.sha256(Files.readAllBytes(body))).isEqualTo(Payload.sha256());
    awaitOnEveryBalancer("S3 in MAINT once drained", states ->
        states.get("S3").adminState().effective() == ServerAdminState.MAINT);
  }

  @Test
  void weightAndMaxconnFromTheServerReachEveryBalancer(RunningLab lab) {
    this.lab = lab;
    flag("S2", "50% maxconn:7");
    awaitOnEveryBalancer("S2 at 50% and maxconn 7", states -> states.get("S2").userWeight() == 50);
    for (Node lb : balancers()) {
      var row = runtime(lb).showStat().stream()
          .filter(s -> s.pxname().equals(HaproxyConfig.SERVERS_BACKEND) && s.svname().equals("S2")).findFirst()
          .orElseThrow();
      assertThat(row.slim()).as(lb.name()).hasValue(7);
    }
  }

  @Test
  void balancerMaintenanceTurnsItsHealthcheckTo503AndBack(RunningLab lab) {
    this.lab = lab;
    assertThat(healthcheck("192.0.2.72")).isEqualTo("200");
    flag("LB7-2", "maint");
    Poll.until(CONVERGE, "LB7-2 /healthcheck answers 503", () -> healthcheck("192.0.2.72").equals("503"));
    assertThat(healthcheck("192.0.2.71")).as("other balancers stay healthy").isEqualTo("200");
    assertThat(requests(10)).as("traffic still served by the balancer in maintenance").isNotEmpty();
    Netns.exec("LB7-2", List.of("rm", "/etc/lb/agent-check"), CMD);
    Poll.until(CONVERGE, "LB7-2 /healthcheck answers 200 again", () -> healthcheck("192.0.2.72").equals("200"));
  }

  @Test
  void twentyReloadsUnderLoadFailNoRequestAndNeverAnswer503(RunningLab lab, @TempDir Path dir) throws Exception {
    this.lab = lab;
    Path stop = dir.resolve("stop");
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    String target = "http://192.0.2.73";
    // Four request loops and one health-check loop from users, each recording the status of every request.
    String loop = "while [ ! -e " + stop + " ]; do curl -s -o /dev/null -w '%%{http_code}\\n' --max-time 5 "
        + "--interface %s " + target + "%s; done > " + out + "/%s";
    List<CompletableFuture<Exec.Result>> loops = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String script = loop.formatted("203.0.113." + (100 + i), "/", "requests-" + i);
      loops.add(CompletableFuture.supplyAsync(() -> Netns.exec("users", List.of("sh", "-c", script), Duration.ofMinutes(5)), threads));
    }
    String health = loop.formatted("203.0.113.120", "/healthcheck", "health");
    loops.add(CompletableFuture.supplyAsync(() -> Netns.exec("users", List.of("sh", "-c", health), Duration.ofMinutes(5)), threads));
    Path body = dir.resolve("10M");
    CompletableFuture<Exec.Result> download = CompletableFuture.supplyAsync(() -> Netns.exec("users", List.of(
        "curl", "-s", "-f", "--max-time", "240", "--limit-rate", "300K", "--interface", "203.0.113.130",
        "-o", body.toString(), target + "/" + Payload.NAME), Duration.ofMinutes(5)), threads);
    Poll.until(CONVERGE, "load is flowing", () -> lines(out.resolve("requests-0")).size() > 20);

    String config = lab.paths().node("LB7-3").conf().resolve("l7-agent.yaml").toString();
    String launcher = lab.root().resolve("bin/l7-agent").toString();
    for (int i = 0; i < 20; i++) {
      Exec.Result reload = Netns.exec("LB7-3", List.of(launcher, "reload", "--config", config), CMD);
      assertThat(reload.exitCode()).as("reload %d: %s", i, reload.stderr()).isZero();
    }
    Files.writeString(stop, "");
    for (CompletableFuture<Exec.Result> f : loops) {
      f.get();
    }
    List<String> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.addAll(lines(out.resolve("requests-" + i)));
    }
    List<String> healthStatuses = lines(out.resolve("health"));
    System.out.printf("20 reloads of LB7-3 under load: %d requests, %d health checks, statuses %s / %s%n",
        statuses.size(), healthStatuses.size(), new java.util.TreeSet<>(statuses), new java.util.TreeSet<>(healthStatuses));
    assertThat(statuses).as("requests during 20 reloads").hasSizeGreaterThan(100).containsOnly("200");
    assertThat(healthStatuses).as("health checks during 20 reloads").hasSizeGreaterThan(20).containsOnly("200");
    Exec.Result r = download.get();
    assertThat(r.exitCode()).as("download across 20 reloads: %s", r.stderr()).isZero();
    assertThat(Payload.sha256(Files.readAllBytes(body))).isEqualTo(Payload.sha256());
  }

  // --- helpers ---

  private static final List<String> ALL_BUT_S3 = List.of("S1", "S2", "S4", "S5");

  /**
   * Starts a slow download of /slow/10M (the 10 MB body paced by nginx at 1 MB/s: about 10 s) from users through
   * LB7-1 that lands on S3: every other server is drained while it starts, then made ready again. Returns once the
   * download is a session on LB7-1/S3. Paced by the server, not by curl's --limit-rate: with that, one run saw the
   * download end (exit 0) within half a second, before the "still running" assertion.
   */
  private CompletableFuture<Exec.Result> downloadThroughLb71FromS3(Path body, String clientAddress) {
    ALL_BUT_S3.forEach(s -> flag(s, "drain"));
    awaitOnEveryBalancer("S1,S2,S4,S5 drained", states -> ALL_BUT_S3.stream().allMatch(
        s -> states.get(s).adminState().effective() == ServerAdminState.DRAIN));
    CompletableFuture<Exec.Result> download = CompletableFuture.supplyAsync(() -> Netns.exec("users", List.of(
        "curl", "-s", "-f", "--max-time", "60", "--interface", clientAddress,
        "-o", body.toString(), "http://192.0.2.71/slow/" + Payload.NAME), CMD), threads);
    Poll.until(CONVERGE, "the download is a session on LB7-1/S3", () -> sessions("LB7-1", "S3") >= 1);
    ALL_BUT_S3.forEach(s -> flag(s, "ready"));
    return download;
  }

  private void flag(String node, String content) {
    Exec.Result r = Netns.exec(node, List.of("sh", "-c", "echo '" + content + "' > /etc/lb/agent-check"), CMD);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
  }

  private List<Node> balancers() {
    return lab.topology().nodesWithRole(Role.L7);
  }

  private Node node(String name) {
    return lab.topology().node(name).orElseThrow();
  }

  private RuntimeSocket runtime(Node lb) {
    return RuntimeSocket.open(lab.paths().node(lb.name()).run().resolve("admin.sock"));
  }

  private void awaitOnEveryBalancer(String what, java.util.function.Predicate<Map<String, ServerState>> condition) {
    for (Node lb : balancers()) {
      Poll.until(CONVERGE, lb.name() + ": " + what, () -> {
        Map<String, ServerState> byName = new TreeMap<>();
        runtime(lb).showServersState(HaproxyConfig.SERVERS_BACKEND).servers()
            .forEach(s -> byName.put(s.serverName(), s));
        return condition.test(byName);
      });
    }
  }

  private long sessions(String lb, String server) {
    return runtime(lab.topology().node(lb).orElseThrow()).showStat().stream()
        .filter(s -> s.pxname().equals(HaproxyConfig.SERVERS_BACKEND) && s.svname().equals(server))
        .findFirst().orElseThrow().scur().orElse(0);
  }

  /** {@code n} requests from users to LB7-1, counted by the server that answered. */
  private Map<String, Integer> requests(int n) {
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < n; i++) {
      script.append("curl -s --max-time 5 --interface 203.0.113.").append(1 + i % 200).append(" http://192.0.2.71/\n");
    }
    Exec.Result r = Netns.exec("users", List.of("sh", "-c", script.toString()), CMD);
    Map<String, Integer> answers = new TreeMap<>();
    for (String line : r.stdout().split("\n")) {
      if (!line.isBlank()) {
        answers.merge(line.strip(), 1, Integer::sum);
      }
    }
    return answers;
  }

  private String healthcheck(String address) {
    return Netns.exec("users", List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
        "http://" + address + "/healthcheck"), CMD).stdout().strip();
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList() : List.of();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
