package org.example.lb.l7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.test.Poll;
import org.example.lb.l7.runtime.ProcessTable;
import org.example.lb.l7.runtime.ReloadFailedException;
import org.example.lb.l7.runtime.ReloadOutcome;
import org.example.lb.l7.runtime.ServerAdminState;
import org.example.lb.l7.testing.HaproxyProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link org.example.lb.l7.haproxy.HaproxyReload} against the real HAProxy 2.6 master: reloads under load drop no
 * request, never make {@code /healthcheck} fail, let long downloads finish, keep runtime states (state file), and
 * a configuration HAProxy rejects leaves the running worker serving.
 */
class ReloadTest {
  private static final int RELOADS = 20;
  private static final int CLIENTS = 4;

  @TempDir Path dir;
  private LoopbackTier tier;

  @AfterEach
  void stop() {
    if (tier != null) {
      tier.close();
    }
  }

  /** Counts of a load loop; the first few failures are kept for the message. */
  private static final class Tally {
    final AtomicLong ok = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong unavailable = new AtomicLong(); // 503
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    void fail(String why) {
      failed.incrementAndGet();
      if (failures.size() < 10) {
        failures.add(why);
      }
    }

    @Override
    public String toString() {
      return "ok " + ok + ", failed " + failed + ", 503 " + unavailable + ", first failures " + failures;
    }
  }

  @Test
  void reloadsUnderLoadDropNothingAndNeverFalse503() throws Exception {
    tier = LoopbackTier.start(dir, LoopbackTier.Settings.defaults().withServers(3).withAgentInterval(Duration.ofSeconds(2))
        .withDownloadRate("1m"));
    CompletableFuture<String> started = new CompletableFuture<>();
    CompletableFuture<RawHttp.Download> download = RawHttp.downloadInBackground(tier.frontendPort(), "/10M", started);
    started.get(10, TimeUnit.SECONDS);

    AtomicBoolean stop = new AtomicBoolean();
    long hardStop = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    Tally requests = new Tally();
    Tally health = new Tally();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(Thread.ofVirtual().name("client-" + i).start(() -> {
        for (int n = 0; n < 50_000 && !stop.get() && System.nanoTime() < hardStop; n++) {
          try {
            RawHttp.Response r = tier.get("/");
            if (r.status() == 200 && r.text().matches("s[123]\n")) {
              requests.ok.incrementAndGet();
            } else {
              requests.fail(r.status() + " " + r.text().strip());
            }
          } catch (IOException e) {
            requests.fail(e.toString());
          }
        }
      }));
    }
    clients.add(Thread.ofVirtual().name("healthcheck").start(() -> {
      for (int n = 0; n < 50_000 && !stop.get() && System.nanoTime() < hardStop; n++) {
        try {
          RawHttp.Response r = tier.get("/healthcheck");
          if (r.status() == 200) {
            health.ok.incrementAndGet();
          } else if (r.status() == 503) {
            health.unavailable.incrementAndGet();
            health.fail("503 " + r.text().strip());
          } else {
            health.fail(r.status() + " " + r.text().strip());
          }
        } catch (IOException e) {
          health.fail(e.toString());
        }
      }
    }));

    Set<Integer> workers = new HashSet<>();
    boolean downloadSpannedAReload = false;
    try {
      for (int i = 0; i < RELOADS; i++) {
        ReloadOutcome outcome = tier.reload();
        workers.addAll(outcome.newWorkerPids());
        if (i == 0) {
          downloadSpannedAReload = !download.isDone();
        }
      }
    } finally {
      stop.set(true);
      for (Thread t : clients) {
        t.join(Duration.ofSeconds(30));
      }
    }

    System.out.printf("%d reloads under load: requests %s; /healthcheck %s%n", RELOADS, requests, health);
    assertThat(workers).as("a new worker per reload").hasSize(RELOADS);
    assertThat(requests.failed.get()).as("failed requests during %d reloads: %s", RELOADS, requests).isZero();
    assertThat(health.failed.get()).as("failed or 503 /healthcheck during %d reloads: %s", RELOADS, health).isZero();
    assertThat(requests.ok.get()).as("requests served during the reloads").isPositive();
    assertThat(health.ok.get()).as("health checks answered during the reloads").isPositive();
    assertThat(downloadSpannedAReload).as("the download was still running after the first reload").isTrue();
    RawHttp.Download d = download.get(60, TimeUnit.SECONDS);
    assertThat(d.status()).isEqualTo(200);
    assertThat(d.bytes()).isEqualTo(LoopbackTier.TEN_MEGABYTES).isEqualTo(d.contentLength());
    assertThat(d.sha256()).isEqualTo(tier.tenMegabytesSha256());
  }

  @Test
  void drainSurvivesReload() throws Exception {
    tier = LoopbackTier.start(dir, LoopbackTier.Settings.defaults());
    tier.writeServerFlag("s1", "drain\n");
    tier.writeServerFlag("s2", "50%\n");
    Poll.until(StatePushTest.PUSH_DEADLINE, "s1 DRAIN and s2 at 50%",
        () -> tier.admin("s1") == ServerAdminState.DRAIN && tier.state("s2").userWeight() == 50);
    // Nothing but HAProxy's state file may carry the states into the new worker: no controller, no agents.
    tier.stopController();
    tier.stopAgent("s1");
    tier.stopAgent("s2");

    int worker = tier.reload().newWorkerPids().getFirst();

    assertThat(tier.haproxy().workerPid()).as("the stats socket is served by the new worker").isEqualTo(worker);
    assertThat(tier.admin("s1")).isEqualTo(ServerAdminState.DRAIN);
    assertThat(tier.stat("s1").status()).startsWith("DRAIN");
    assertThat(tier.state("s2").userWeight()).isEqualTo(50);
    assertThat(tier.admin("s2")).isEqualTo(ServerAdminState.READY);
  }

  @Test
  void invalidConfigOnReloadKeepsTheRunningOne() throws Exception {
    tier = LoopbackTier.start(dir, LoopbackTier.Settings.defaults());
    int worker = tier.haproxy().workerPid();
    ProcessTable before = tier.haproxy().master().showProc();
    Path live = tier.config().haproxy().orElseThrow().configFile();
    String running = Files.readString(live);

    Path rejected = live.resolveSibling("haproxy.cfg.rejected");

    assertThatThrownBy(() -> tier.reload(tier.settings().withBinary(haproxyRejectingEveryConfig())))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage())
            .startsWith(rejected + ": rejected by haproxy -c (exit 1), running config kept: ")
            .contains("[ALERT]")
            .contains("unknown keyword 'no-such-keyword' in 'global' section")
            .doesNotContain("\n"));

    assertThat(Files.readString(live)).as("the live haproxy.cfg").isEqualTo(running);
    assertThat(rejected).as("the rejected config, kept for the operator").exists();
    assertThat(tier.haproxy().master().showProc().reloads()).as("reloads").isEqualTo(before.reloads());
    assertThat(tier.haproxy().workerPid()).isEqualTo(worker);
    assertThat(tier.get("/").status()).isEqualTo(200);
    assertThat(tier.get("/healthcheck").status()).isEqualTo(200);
  }

  @Test
  void reloadHaproxyCannotStartKeepsTheOldWorkerAndItsConfig() throws Exception {
    // maxconn 1000000 passes `haproxy -c`, but the new process needs ~2M file descriptors, more than Linux's
    // default fs.nr_open allows, and fails to start.
    long nrOpen = Long.parseLong(Files.readString(Path.of("/proc/sys/fs/nr_open")).strip());
    Assumptions.assumeTrue(nrOpen < 2_000_100, "fs.nr_open " + nrOpen + " lets HAProxy start with maxconn 1000000");
    tier = LoopbackTier.start(dir, LoopbackTier.Settings.defaults());
    int worker = tier.haproxy().workerPid();
    Path live = tier.config().haproxy().orElseThrow().configFile();
    String running = Files.readString(live);

    assertThatThrownBy(() -> tier.reload(tier.settings().withMaxconn(1_000_000)))
        .isInstanceOf(ReloadFailedException.class);

    assertThat(tier.haproxy().log()).contains("Cannot raise FD limit");
    assertThat(tier.haproxy().workerPid()).as("the worker serving").isEqualTo(worker);
    assertThat(tier.get("/").status()).isEqualTo(200);
    assertThat(tier.get("/healthcheck").status()).isEqualTo(200);
    assertThat(Files.readString(live)).as("the live haproxy.cfg is the running one again").isEqualTo(running);
    assertThat(Files.readString(live.resolveSibling("haproxy.cfg.rejected"))).contains("maxconn 1000000");

    tier.reload(tier.settings().withMaxconn(0)); // and the next valid reload works
    assertThat(tier.haproxy().workerPid()).isNotEqualTo(worker);
    assertThat(live.resolveSibling("haproxy.cfg.rejected")).as("no rejected config left once one loads").doesNotExist();
  }

  @Test
  void sighupReloadFollowsANewServerAndKeepsPushing() throws Exception {
    tier = LoopbackTier.start(dir, LoopbackTier.Settings.defaults().withAgentInterval(Duration.ofSeconds(10)));
    tier.writeServerFlag("s1", "drain\n");
    Poll.until(StatePushTest.PUSH_DEADLINE, "s1 DRAIN", () -> tier.admin("s1") == ServerAdminState.DRAIN);
    tier.addServer("s3");
    tier.writeServerFlag("s3", "40%\n");

    tier.reloadNode(); // what SIGHUP to l7-agent run does: re-read the YAML, reload HAProxy, follow the servers

    Poll.until(StatePushTest.PUSH_DEADLINE, "s3 at 40%, pushed by the controller once it watches s3",
        () -> tier.state("s3").userWeight() == 40);
    assertThat(tier.admin("s1")).isEqualTo(ServerAdminState.DRAIN);
    Poll.until(Duration.ofSeconds(5), "s3 UP", () -> tier.stat("s3").status().startsWith("UP"));
    tier.writeServerFlag("s3", "drain\n");
    Poll.until(StatePushTest.PUSH_DEADLINE, "s3 DRAIN, pushed", () -> tier.admin("s3") == ServerAdminState.DRAIN);
    tier.writeNodeFlag("maint\n");
    Poll.until(StatePushTest.PUSH_DEADLINE, "/healthcheck 503 after the node's maint, pushed", () -> {
      try {
        return tier.get("/healthcheck").status() == 503;
      } catch (IOException e) {
        return false;
      }
    });
  }

  @Test
  void aDrainInProgressEndsInMaintAcrossAReloadAndItsDownloadCompletes() throws Exception {
    tier = LoopbackTier.start(dir, LoopbackTier.Settings.defaults().withAgentInterval(Duration.ofMillis(500))
        .withDownloadRate("1m"));
    tier.writeServerFlag("s2", "drain\n");
    Poll.until(StatePushTest.PUSH_DEADLINE, "s2 DRAIN", () -> tier.admin("s2") == ServerAdminState.DRAIN);
    CompletableFuture<String> started = new CompletableFuture<>();
    CompletableFuture<RawHttp.Download> download = RawHttp.downloadInBackground(tier.frontendPort(), "/10M", started);
    assertThat(started.get(10, TimeUnit.SECONDS)).isEqualTo("s1");
    tier.writeServerFlag("s1", "maint\n");
    Poll.until(StatePushTest.PUSH_DEADLINE, "s1 DRAIN (draining its download)",
        () -> tier.admin("s1") == ServerAdminState.DRAIN);

    tier.reload();

    // The new worker has no session on s1: the drain ends there; the old worker finishes the download.
    Poll.until(Duration.ofSeconds(5), "s1 MAINT in the new worker", () -> tier.admin("s1") == ServerAdminState.MAINT);
    assertThat(download.isDone()).as("the download still runs on the old worker").isFalse();
    RawHttp.Download d = download.get(60, TimeUnit.SECONDS);
    assertThat(d.status()).isEqualTo(200);
    assertThat(d.bytes()).isEqualTo(LoopbackTier.TEN_MEGABYTES);
    assertThat(d.sha256()).isEqualTo(tier.tenMegabytesSha256());
    assertThat(tier.state("s1").agentState().enabled()).as("s1's agent check enabled again").isTrue();
  }

  /**
   * A stand-in for the haproxy binary that runs the real HAProxy with one more configuration file holding an
   * unknown keyword, so {@code haproxy -c} fails with HAProxy's own ALERT.
   */
  private Path haproxyRejectingEveryConfig() throws IOException {
    Path extra = dir.resolve("unknown-keyword.cfg");
    Files.writeString(extra, "global\n    no-such-keyword\n");
    Path script = dir.resolve("haproxy-rejecting-every-config");
    Files.writeString(script, "#!/bin/sh\nexec '" + HaproxyProcess.binary() + "' \"$@\" -f '" + extra + "'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }
}
