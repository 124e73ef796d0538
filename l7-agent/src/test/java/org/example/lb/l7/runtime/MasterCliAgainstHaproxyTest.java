package org.example.lb.l7.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.Poll;
import org.example.lb.l7.testing.HaproxyProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master CLI of the real HAProxy 2.6 (haproxy -W -S): show proc, reload, routing to workers. */
class MasterCliAgainstHaproxyTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;
  private final HttpBackends backends = new HttpBackends();
  private HaproxyProcess haproxy;
  private MasterCli master;
  private RuntimeSocket admin;

  @BeforeEach
  void startHaproxy() throws IOException {
    HaproxyProcess.binary();
    int p1 = backends.start("s1");
    int p2 = backends.start("s2");
    haproxy = HaproxyProcess.start(dir, """
        global
            stats socket %1$s/admin.sock level admin
            server-state-file %1$s/server-state
        defaults
            mode http
            timeout connect 1s
            timeout client 5s
            timeout server 5s
            load-server-state-from-file global
        frontend fe
            bind 127.0.0.1:%2$d
            default_backend be
        backend be
            server s1 127.0.0.1:%3$d check inter 200ms weight 20
            server s2 127.0.0.1:%4$d check inter 200ms
        """.formatted(dir, FreePorts.one(), p1, p2));
    master = MasterCli.open(haproxy.masterSocket());
    admin = RuntimeSocket.open(haproxy.statsSocket());
  }

  @AfterEach
  void stopHaproxy() {
    if (haproxy != null) {
      haproxy.close();
    }
    backends.close();
  }

  @Test
  void showProcListsTheMasterAndItsWorker() {
    ProcessTable table = master.showProc();

    assertThat(table.master().pid()).isEqualTo((int) haproxy.pid());
    assertThat(table.master().version()).startsWith("2.6.");
    assertThat(table.reloads()).isZero();
    assertThat(table.failedReloads()).isZero();
    assertThat(table.workerPids()).containsExactly(admin.showInfo().pid());
    assertThat(table.oldWorkers()).isEmpty();
  }

  @Test
  void reloadStartsANewWorkerAndRetiresTheOldOne() {
    int oldWorker = master.showProc().workerPids().getFirst();

    ReloadOutcome outcome = master.reloadAndAwait(WAIT);

    assertThat(outcome.after().reloads()).isEqualTo(1);
    assertThat(outcome.newWorkerPids()).singleElement().isNotEqualTo(oldWorker);
    int newWorker = outcome.newWorkerPids().getFirst();
    assertThat(outcome.after().workerPids()).containsExactly(newWorker);
    assertThat(outcome.after().process(oldWorker).map(ProcessEntry::role))
        .isIn(Optional.empty(), Optional.of(ProcessRole.OLD_WORKER));
    Poll.until(WAIT, "the stats socket is served by the new worker", () -> pidOnAdminSocket() == newWorker);
    Poll.until(WAIT, "old worker " + oldWorker + " exits", () -> ProcessHandle.of(oldWorker).isEmpty()
        || !ProcessHandle.of(oldWorker).get().isAlive());
    assertThat(master.showProc().oldWorkers()).isEmpty();
  }

  @Test
  void reloadWithAnInvalidConfigurationFailsAndTheOldWorkerKeepsServing() throws IOException {
    int worker = admin.showInfo().pid();
    Files.writeString(haproxy.configFile(), "this_is_not_a_keyword\n", StandardOpenOption.APPEND);

    assertThatThrownBy(() -> master.reloadAndAwait(WAIT))
        .isInstanceOfSatisfying(ReloadFailedException.class, e -> {
          assertThat(e.after().failedReloads()).isEqualTo(1);
          assertThat(e.after().workerPids()).containsExactly(worker);
        });
    assertThat(admin.showInfo().pid()).isEqualTo(worker);
  }

  @Test
  void reloadCanBeSentAloneAndAwaitedLater() {
    ProcessTable before = master.showProc();

    master.reload();
    ReloadOutcome outcome = master.awaitReload(before, WAIT);

    assertThat(outcome.before()).isSameAs(before);
    assertThat(outcome.newWorkerPids()).doesNotContainAnyElementsOf(before.workerPids());
  }

  @Test
  void serversStateTextWrittenAsStateFileCarriesForcedStatesAcrossAReload() throws IOException {
    admin.setServerState("be", "s1", ServerAdminState.DRAIN);
    admin.setServerWeight("be", "s2", Weight.absolute(7));
    Files.writeString(dir.resolve("server-state"), admin.showServersState().text());

    int newWorker = master.reloadAndAwait(WAIT).newWorkerPids().getFirst();
    Poll.until(WAIT, "the stats socket is served by the new worker", () -> pidOnAdminSocket() == newWorker);

    ServersState after = admin.showServersState();
    assertThat(after.server("be", "s1").orElseThrow().adminState().flags()).containsExactly(AdminFlag.FDRAIN);
    assertThat(after.server("be", "s2").orElseThrow().userWeight()).isEqualTo(7);
  }

  @Test
  void processCommandReachesAWorkerThroughTheMaster() {
    int worker = master.showProc().workerPids().getFirst();

    assertThat(Info.parse(master.processCommand(worker, "show info")).pid()).isEqualTo(worker);
    assertThatThrownBy(() -> master.processCommand(1, "show info"))
        .isInstanceOfSatisfying(RuntimeCommandException.class, e -> {
          assertThat(e.errorMessage()).startsWith("Can't find the target PID");
          assertThat(e.severity()).isEmpty();
        });
    assertThatThrownBy(() -> master.raw("bogus"))
        .isInstanceOfSatisfying(RuntimeCommandException.class,
            e -> assertThat(e.kind()).isEqualTo(RuntimeCommandException.Kind.UNKNOWN_COMMAND));
  }

  private int pidOnAdminSocket() {
    try {
      return admin.showInfo().pid();
    } catch (RuntimeApiException e) {
      return -1;
    }
  }
}
