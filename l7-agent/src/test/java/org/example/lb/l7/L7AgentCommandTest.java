package org.example.lb.l7;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.test.ChildProcess;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.NginxServer;
import org.example.lb.common.test.Poll;
import org.example.lb.l7.runtime.RuntimeApiException;
import org.example.lb.l7.runtime.ServerAdminState;
import org.example.lb.l7.testing.HaproxyProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code l7-agent} command line as an operator runs it: {@code agent} on the server nodes, {@code haproxy-config},
 * {@code run}, {@code status} and {@code reload} on the load balancer node, each a separate process, with the real
 * HAProxy and nginx.
 */
class L7AgentCommandTest {
  @TempDir Path dir;
  private final List<AutoCloseable> started = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
  }

  private <T extends AutoCloseable> T started(T t) {
    started.add(t);
    return t;
  }

  @Test
  void runControlsHaproxyReportsStatusReloadsAndExitsZeroOnSigterm() throws Exception {
    L7AgentCli cli = new L7AgentCli(dir);
    Path www = Files.createDirectories(dir.resolve("www"));
    int[] ports = FreePorts.take(8);
    int frontend = ports[0];
    int stats = ports[1];
    int lbAgent = ports[2];
    int lbAdmin = ports[3];
    List<ChildProcess> agents = new ArrayList<>();
    StringBuilder servers = new StringBuilder();
    for (int i = 1; i <= 2; i++) {
      String name = "s" + i;
      Path sdir = Files.createDirectories(dir.resolve(name));
      NginxServer nginx = started(NginxServer.start(sdir, name, www, "1m"));
      int agentPort = ports[2 + 2 * i];
      Path yaml = sdir.resolve("l7-agent.yaml");
      Files.writeString(yaml, """
          node: %s
          flagDirectory: "%s"
          agent: {address: 127.0.0.1, port: %d}
          admin: {port: %d}
          """.formatted(name, Files.createDirectories(sdir.resolve("flags")), agentPort, ports[3 + 2 * i]));
      agents.add(started(cli.start(name + "-agent", "agent", "--config", yaml.toString())));
      servers.append("    - {name: %s, address: 127.0.0.1, port: %d, agentPort: %d}\n"
          .formatted(name, nginx.port(), agentPort));
      Poll.until(L7AgentCli.jvmStartAllowance(), name + "'s agent answers", () -> agentLine(agentPort) != null);
    }
    Path lbDir = Files.createDirectories(dir.resolve("lb"));
    Path lbYaml = lbDir.resolve("l7-agent.yaml");
    Files.writeString(lbYaml, """
        node: lb
        flagDirectory: "%1$s/flags"
        agent: {address: 127.0.0.1, port: %2$d}
        admin: {port: %3$d}
        haproxy:
          binary: "%4$s"
          configFile: "%1$s/haproxy.cfg"
          runDirectory: "%1$s/run"
          binds: [127.0.0.1]
          port: %5$d
          statsPort: %6$d
          agentInterval: 10s
          servers:
        %7$s""".formatted(lbDir, lbAgent, lbAdmin, HaproxyProcess.binary(), frontend, stats, servers));
    Files.createDirectories(lbDir.resolve("flags"));
    L7Config config = ConfigLoader.load(lbYaml, L7Config.class);

    L7AgentCli.Result written = cli.run("haproxy-config", "--config", lbYaml.toString());
    assertThat(written.exitCode()).as(written.stderr()).isZero();
    assertThat(written.stdout().strip()).isEqualTo(lbDir.resolve("haproxy.cfg").toString());
    HaproxyProcess haproxy =
        started(HaproxyProcess.start(config.haproxy().orElseThrow(), lbDir.resolve("haproxy.log")));

    ChildProcess run = started(cli.start("lb-run", "run", "--config", lbYaml.toString()));
    Poll.until(L7AgentCli.jvmStartAllowance(), "run applied both servers (admin /status)",
        () -> bothApplied(lbAdmin, "up ready 100% maxconn:0"));

    L7AgentCli.Result status = cli.run("status", "--config", lbYaml.toString());
    assertThat(status.exitCode()).as(status.stderr()).isZero();
    assertThat(status.stdout()).startsWith("node lb: agent-check up ready 100% maxconn:0")
        .containsPattern("(?m)^s1 +up ready 100% maxconn:0 +UP +READY +100 +\\d+ +\\S+ +applied$")
        .containsPattern("(?m)^s2 +up ready 100% maxconn:0 +UP +READY +100 +\\d+ +\\S+ +applied$");

    LoopbackTier.writeAtomically(dir.resolve("s1/flags/agent-check"), "drain\n");
    Poll.until(StatePushTest.PUSH_DEADLINE, "s1 DRAIN, pushed by the run process", () -> haproxy.runtime()
        .showServersState("servers").server("servers", "s1").orElseThrow().adminState().effective()
        == ServerAdminState.DRAIN);
    assertThat(cli.run("status", "--config", lbYaml.toString()).stdout())
        .containsPattern("(?m)^s1 +up drain 100% maxconn:0 +DRAIN( \\(agent\\))? +DRAIN +100 +\\d+ +\\S+ +applied$");

    int worker = haproxy.workerPid();
    L7AgentCli.hangUp(run);
    Poll.until(Duration.ofSeconds(15), "SIGHUP reloaded HAProxy", () -> {
      try {
        return haproxy.master().showProc().reloads() == 1 && haproxy.workerPid() != worker;
      } catch (RuntimeApiException e) {
        return false; // the master re-executes
      }
    });
    L7AgentCli.Result reload = cli.run("reload", "--config", lbYaml.toString());
    assertThat(reload.exitCode()).as(reload.stderr()).isZero();
    assertThat(reload.stdout()).startsWith("reloaded: new worker [");
    assertThat(haproxy.master().showProc().reloads()).isEqualTo(2);
    assertThat(haproxy.runtime().showServersState("servers").server("servers", "s1").orElseThrow()
        .adminState().effective()).as("s1 after two reloads").isEqualTo(ServerAdminState.DRAIN);

    long sent = System.nanoTime();
    run.terminate();
    OptionalInt exit = run.awaitExit(Duration.ofSeconds(10));
    assertThat(exit).as("run's exit status after SIGTERM; log:\n" + run.log()).hasValue(0);
    System.out.printf("l7-agent run exited %d ms after SIGTERM%n", (System.nanoTime() - sent) / 1_000_000);
    assertThat(run.log()).contains("SIGTERM: shutting down");
    for (ChildProcess agent : agents) {
      agent.terminate();
      assertThat(agent.awaitExit(Duration.ofSeconds(10))).as("agent's exit status; log:\n" + agent.log()).hasValue(0);
    }
    assertThat(haproxy.runtime().showServersState("servers").server("servers", "s1").orElseThrow()
        .adminState().effective()).as("HAProxy keeps s1's state without l7-agent").isEqualTo(ServerAdminState.DRAIN);
  }

  @Test
  void aMissingConfigIsOneErrorLineAndExitStatus2() throws Exception {
    Path missing = dir.resolve("missing.yaml");

    L7AgentCli.Result r = new L7AgentCli(dir).run("run", "--config", missing.toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr().lines().toList()).singleElement().asString().startsWith("error: ").contains(missing.toString());
  }

  /** Both servers as the run process's admin endpoint reports them: agent reply and applied by the controller. */
  private static boolean bothApplied(int adminPort, String reply) {
    try {
      JsonNode servers = ConfigLoader.json().readTree(RawHttp.get(adminPort, "/status").body()).path("servers");
      for (String name : new String[] {"s1", "s2"}) {
        JsonNode s = servers.path(name);
        if (!s.path("agent").asText().equals(reply) || s.path("pending").asBoolean(true)
            || s.path("draining").asBoolean(true)) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The line an agent sends on connect, or null if it does not answer. */
  private static String agentLine(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      s.setSoTimeout(2000);
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        line.append((char) b);
      }
      return b == '\n' ? line.toString() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
