package org.example.lb.l7.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.Poll;
import org.example.lb.l7.runtime.RuntimeCommandException.Kind;
import org.example.lb.l7.testing.HaproxyProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every RuntimeSocket command against the real HAProxy 2.6 on loopback. */
class RuntimeSocketAgainstHaproxyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final HttpBackends backends = new HttpBackends();
  private HaproxyProcess haproxy;
  private RuntimeSocket admin;
  private int frontendPort;
  private int d1Port;

  @BeforeEach
  void startHaproxy() throws IOException {
    HaproxyProcess.binary();
    int p1 = backends.start("s1");
    int p2 = backends.start("s2");
    int p3 = backends.start("s3");
    d1Port = backends.start("d1");
    int[] ports = FreePorts.take(2);
    frontendPort = ports[0];
    int nobodyListens = ports[1];
    haproxy = HaproxyProcess.start(dir, """
        global
            stats socket %1$s/admin.sock level admin
            stats socket %1$s/user.sock level user
            stats timeout 10s
        defaults
            mode http
            timeout connect 1s
            timeout client 5s
            timeout server 5s
        frontend fe
            bind 127.0.0.1:%2$d
            default_backend be
        backend be
            balance roundrobin
            server s1 127.0.0.1:%3$d check inter 200ms
            server s2 127.0.0.1:%4$d check inter 200ms weight 10
            server s3 127.0.0.1:%5$d check inter 200ms
        # No health check, and an agent port nobody listens on (HAProxy ignores agent connection
        # failures): states forced from the CLI stay until changed from the CLI.
        backend manual
            server m1 127.0.0.1:%3$d agent-check agent-port %6$d agent-inter 200ms
            server m2 127.0.0.1:%4$d
        backend fixed
            balance static-rr
            server f1 127.0.0.1:%3$d
        """.formatted(dir, frontendPort, p1, p2, p3, nobodyListens));
    admin = RuntimeSocket.open(haproxy.statsSocket());
    Poll.untilAsserted(WAIT, RuntimeApiException.class, () -> assertThat(admin.showServersState("be").servers())
        .allSatisfy(s -> assertThat(s.checkStatus()).isEqualTo(CheckStatus.L4OK)));
  }

  @AfterEach
  void stopHaproxy() {
    if (haproxy != null) {
      haproxy.close();
    }
    backends.close();
  }

  private ServerState state(String backend, String server) {
    return admin.showServersState(backend).server(backend, server).orElseThrow();
  }

  private StatRow stat(String backend, String server) {
    return admin.showStat().stream()
        .filter(r -> r.pxname().equals(backend) && r.svname().equals(server))
        .findFirst().orElseThrow();
  }

  @Test
  void showInfoReportsTheWorkerBehindTheSocket() {
    Info info = admin.showInfo();

    assertThat(info.version()).startsWith("2.6.");
    assertThat(info.pid()).isNotEqualTo(haproxy.pid());
    assertThat(MasterCli.open(haproxy.masterSocket()).showProc().workerPids()).containsExactly(info.pid());
    assertThat(info.stopping()).isFalse();
    assertThat(info.currConns()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void showStatListsFrontendBackendsAndHealthyServers() {
    List<StatRow> rows = admin.showStat();

    assertThat(rows).anySatisfy(r -> {
      assertThat(r.pxname()).isEqualTo("fe");
      assertThat(r.type()).isEqualTo(StatType.FRONTEND);
      assertThat(r.status()).isEqualTo("OPEN");
    });
    assertThat(rows).filteredOn(r -> r.pxname().equals("be") && r.type().equals(StatType.SERVER))
        .extracting(StatRow::svname).containsExactly("s1", "s2", "s3");
    StatRow s2 = stat("be", "s2");
    assertThat(s2.status()).isEqualTo("UP");
    assertThat(s2.weight()).hasValue(10);
    assertThat(s2.checkStatus()).contains("L4OK");
    assertThat(s2.act()).hasValue(1);
    assertThat(stat("be", "BACKEND").act()).hasValue(3);
  }

  @Test
  void showServersStateTextIsTheServerStateFileFormat() {
    ServersState all = admin.showServersState();

    assertThat(all.text()).startsWith("1\n# be_id be_name srv_id srv_name srv_addr");
    assertThat(all.servers()).extracting(ServerState::qualifiedName)
        .containsExactly("be/s1", "be/s2", "be/s3", "manual/m1", "manual/m2", "fixed/f1");
    assertThat(admin.showServersState("manual").servers()).hasSize(2);
  }

  @Test
  void drainMaintAndReadyShowInAdminFlags() {
    admin.setServerState("be", "s1", ServerAdminState.DRAIN);
    ServerState drained = state("be", "s1");
    assertThat(drained.adminState().flags()).containsExactly(AdminFlag.FDRAIN);
    assertThat(drained.operationalState()).isEqualTo(OperationalState.RUNNING);
    assertThat(stat("be", "s1").status()).isEqualTo("DRAIN");

    admin.setServerState("be", "s1", ServerAdminState.MAINT);
    ServerState maint = state("be", "s1");
    assertThat(maint.adminState().flags()).containsExactly(AdminFlag.FMAINT);
    assertThat(maint.adminState().effective()).isEqualTo(ServerAdminState.MAINT);
    assertThat(maint.operationalState()).isEqualTo(OperationalState.STOPPED);
    assertThat(maint.checkState().has(CheckFlag.PAUSED)).isTrue();
    assertThat(stat("be", "s1").status()).isEqualTo("MAINT");

    admin.setServerState("be", "s1", ServerAdminState.READY);
    assertThat(state("be", "s1").adminState()).isEqualTo(AdminFlags.NONE);
    Poll.untilAsserted(WAIT, RuntimeApiException.class,
        () -> assertThat(state("be", "s1").operationalState()).isEqualTo(OperationalState.RUNNING));
  }

  @Test
  void weightIsSetAbsoluteOrAsPercentageOfTheInitialWeight() {
    admin.setServerWeight("be", "s2", Weight.absolute(3));
    assertThat(state("be", "s2").userWeight()).isEqualTo(3);
    assertThat(state("be", "s2").initialWeight()).isEqualTo(10);
    assertThat(stat("be", "s2").weight()).hasValue(3);

    admin.setServerWeight("be", "s2", Weight.percent(50));
    assertThat(state("be", "s2").userWeight()).isEqualTo(5);

    admin.setServerWeight("be", "s2", Weight.absolute(0));
    assertThat(state("be", "s2").userWeight()).isZero();
    assertThat(stat("be", "s2").weight()).hasValue(0);
  }

  @Test
  void agentDownStopsTheServerAndAgentUpStartsIt() {
    assertThat(state("manual", "m1").operationalState()).isEqualTo(OperationalState.RUNNING);

    admin.setServerAgent("manual", "m1", AgentState.DOWN);
    assertThat(state("manual", "m1").operationalState()).isEqualTo(OperationalState.STOPPED);
    assertThat(stat("manual", "m1").status()).isEqualTo("DOWN (agent)");

    admin.setServerAgent("manual", "m1", AgentState.UP);
    assertThat(state("manual", "m1").operationalState()).isEqualTo(OperationalState.RUNNING);
  }

  @Test
  void healthDownStoppingAndUpForceTheOperationalState() {
    admin.setServerHealth("manual", "m2", HealthState.DOWN);
    assertThat(state("manual", "m2").operationalState()).isEqualTo(OperationalState.STOPPED);

    admin.setServerHealth("manual", "m2", HealthState.STOPPING);
    assertThat(state("manual", "m2").operationalState()).isEqualTo(OperationalState.STOPPING);
    assertThat(stat("manual", "m2").status()).isEqualTo("NOLB");

    admin.setServerHealth("manual", "m2", HealthState.UP);
    assertThat(state("manual", "m2").operationalState()).isEqualTo(OperationalState.RUNNING);
  }

  @Test
  void disablingAndEnablingChecksTogglesTheEnabledBit() {
    admin.disableHealth("be", "s1");
    assertThat(state("be", "s1").checkState().flags()).containsExactly(CheckFlag.CONFIGURED);
    admin.enableHealth("be", "s1");
    assertThat(state("be", "s1").checkState().enabled()).isTrue();

    admin.disableAgent("manual", "m1");
    assertThat(state("manual", "m1").agentState().flags())
        .containsExactlyInAnyOrder(CheckFlag.CONFIGURED, CheckFlag.AGENT);
    admin.enableAgent("manual", "m1");
    assertThat(state("manual", "m1").agentState().flags())
        .containsExactlyInAnyOrder(CheckFlag.CONFIGURED, CheckFlag.ENABLED, CheckFlag.AGENT);
  }

  @Test
  void maxconnShowsAsTheServerSessionLimit() {
    admin.setServerMaxconn("be", "s3", 7);
    assertThat(stat("be", "s3").slim()).hasValue(7);

    admin.setServerMaxconn("be", "s3", 0);
    assertThat(stat("be", "s3").slim()).isEmpty();
  }

  @Test
  void addedServerTakesTrafficOnceReadyAndIsDeletedAfterMaint() throws Exception {
    admin.addServer("be", "d1", "127.0.0.1:" + d1Port, List.of("check", "inter", "200ms", "weight", "4"));
    ServerState added = state("be", "d1");
    assertThat(added.adminState().flags()).as("dynamic servers start in maintenance").containsExactly(AdminFlag.FMAINT);
    assertThat(added.port()).isEqualTo(d1Port);
    assertThat(added.initialWeight()).isEqualTo(4);

    admin.setServerState("be", "d1", ServerAdminState.READY);
    admin.enableHealth("be", "d1");
    Poll.untilAsserted(WAIT, RuntimeApiException.class, () -> {
      ServerState d1 = state("be", "d1");
      assertThat(d1.checkStatus()).isEqualTo(CheckStatus.L4OK);
      assertThat(d1.operationalState()).isEqualTo(OperationalState.RUNNING);
    });
    for (String s : List.of("s1", "s2", "s3")) {
      admin.setServerState("be", s, ServerAdminState.MAINT);
    }
    assertThat(get("/")).isEqualTo("d1");

    assertThatThrownBy(() -> admin.delServer("be", "d1"))
        .isInstanceOfSatisfying(RuntimeCommandException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.OTHER);
          assertThat(e.errorMessage()).isEqualTo("Only servers in maintenance mode can be deleted.");
        });
    admin.setServerState("be", "d1", ServerAdminState.MAINT);
    admin.delServer("be", "d1");
    assertThat(admin.showServersState("be").server("be", "d1")).isEmpty();
  }

  @Test
  void addServerIsRefusedOnAStaticBackend() {
    assertThatThrownBy(() -> admin.addServer("fixed", "x", "127.0.0.1:1", List.of()))
        .isInstanceOfSatisfying(RuntimeCommandException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.OTHER);
          assertThat(e.errorMessage()).contains("dynamic load balancing");
          assertThat(e.severity()).contains(Severity.ERR);
        });
    assertThatThrownBy(() -> admin.addServer("be", "s1", "127.0.0.1:1", List.of()))
        .isInstanceOf(RuntimeCommandException.class)
        .hasMessageContaining("Already exists");
    assertThatThrownBy(() -> admin.addServer("be", "x", "127.0.0.1:1", List.of("bogus")))
        .isInstanceOfSatisfying(RuntimeCommandException.class,
            e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_ARGUMENT));
  }

  @Test
  void unknownBackendsServersAndCommandsAreTypedErrors() {
    assertThatThrownBy(() -> admin.setServerState("nope", "s1", ServerAdminState.DRAIN))
        .isInstanceOfSatisfying(RuntimeCommandException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.NO_SUCH_BACKEND);
          assertThat(e.command()).isEqualTo("set server nope/s1 state drain");
        });
    assertThatThrownBy(() -> admin.setServerWeight("be", "nope", Weight.absolute(1)))
        .isInstanceOfSatisfying(RuntimeCommandException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NO_SUCH_SERVER));
    assertThatThrownBy(() -> admin.showServersState("nope"))
        .isInstanceOfSatisfying(RuntimeCommandException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NO_SUCH_BACKEND));
    assertThatThrownBy(() -> admin.delServer("be", "nope"))
        .isInstanceOfSatisfying(RuntimeCommandException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NO_SUCH_SERVER));
    assertThatThrownBy(() -> admin.setServerMaxconn("nope", "s1", 1))
        .isInstanceOfSatisfying(RuntimeCommandException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NO_SUCH_BACKEND));
    assertThatThrownBy(() -> admin.raw("bogus command"))
        .isInstanceOfSatisfying(RuntimeCommandException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_COMMAND));
    assertThatThrownBy(() -> admin.raw("set server be/s1 state bogus"))
        .isInstanceOfSatisfying(RuntimeCommandException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_ARGUMENT));
    assertThatThrownBy(() -> admin.setServerAgent("be", "s1", AgentState.DOWN))
        .isInstanceOfSatisfying(RuntimeCommandException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.OTHER);
          assertThat(e.errorMessage()).contains("agent checks are not enabled");
        });
  }

  @Test
  void adminCommandsOnAUserLevelSocketAreDenied() {
    RuntimeSocket user = RuntimeSocket.open(dir.resolve("user.sock"));

    assertThat(user.showServersState().servers()).isNotEmpty();
    assertThatThrownBy(() -> user.setServerState("be", "s1", ServerAdminState.MAINT))
        .isInstanceOfSatisfying(RuntimeCommandException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PERMISSION_DENIED));
    assertThat(state("be", "s1").adminState()).isEqualTo(AdminFlags.NONE);
  }

  @Test
  void rawReturnsTheCommandOutput() {
    assertThat(admin.raw("show backend")).contains("be\n", "manual\n", "fixed\n");
    assertThat(admin.raw("set server be/s1 state drain")).isEmpty();
  }

  @Test
  void concurrentCallsEachGetTheirOwnReply() throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) { // more than the CLI's default stats maxconn of 10
        boolean stat = i % 2 == 0;
        results.add(pool.submit(() -> stat ? admin.showStat().size() : admin.showServersState().servers().size()));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo(i % 2 == 0 ? 10 : 6);
      }
    }
  }

  private String get(String path) throws Exception {
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontendPort + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body();
    }
  }
}
