package org.example.lb.l7.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.Poll;
import org.example.lb.l7.agent.AgentReply.Administrative;
import org.example.lb.l7.agent.AgentReply.Operational;
import org.example.lb.l7.agent.AgentWatch.Status;
import org.example.lb.l7.testing.HaproxyProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full-state encoding against the real HAProxy 2.6 on loopback: every flag-file state is applied by
 * HAProxy, and "up" brings the servers back to normal whatever came before. In the default config s1 is a
 * plain agent-checked server and s2 has a {@code maxconn 50}, which the agent's {@code maxconn:0} lifts.
 *
 * <p>Servers with {@code agent-send} get their own HAProxy config: HAProxy 2.6 shares one agent-check rule
 * set between all servers, so a single {@code agent-send} disables TCP quick-ack for every agent check, and
 * servers without it then finish the TCP handshake only after Linux's 200ms delayed ACK, which times out an
 * {@code agent-inter 200ms} check ("Layer7 timeout"; with {@code timeout check 1s} it passes after ~205ms).
 */
class HaproxyAgentCheckTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String FILE = "agent-check";
  /** HAProxy's srv_admin_state bits (server-t.h): forced MAINT and forced DRAIN, which the agent sets. */
  private static final int ADMIN_FMAINT = 0x01;
  private static final int ADMIN_FDRAIN = 0x08;
  /** srv_op_state: 0 stopped, 2 running. */
  private static final String STOPPED = "0";
  private static final String RUNNING = "2";

  @TempDir Path dir;
  private final Metrics metrics = new Metrics();
  private AgentCheckServer agent;
  private AgentFlagFile flagFile;
  private AgentWatch watch;
  private HaproxyProcess haproxy;
  private int agentPort;
  private int unusedPort; // the servers' own address: never connected to (no "check"), the agent decides alone

  @BeforeEach
  void start() throws IOException {
    HaproxyProcess.binary();
    Path flags = Files.createDirectory(dir.resolve("flags"));
    agent = AgentCheckServer.start(AgentCheckServer.Settings.of(InetAddress.getLoopbackAddress(), 0),
        AgentReply.DEFAULT, metrics);
    agentPort = agent.address().getPort();
    flagFile = AgentFlagFile.watch(flags, FILE, Duration.ofMillis(100), agent::set, metrics);
    watch = AgentWatch.start(AgentWatch.Settings.of(agent.address()), Runnable::run, status -> {});
    unusedPort = FreePorts.one();
  }

  /**
   * Starts HAProxy (admin socket, tcp defaults) with servers s1 (weight 100) and s2 (weight 20, maxconn 50), each
   * with {@code extra}.
   */
  private void startHaproxy(String extra) throws IOException {
    haproxy = HaproxyProcess.start(dir, """
        global
            stats socket %4$s level admin
        defaults
            mode tcp
            timeout connect 1s
            timeout client 5s
            timeout server 5s
        backend be
            server s1 127.0.0.1:%1$d weight 100 agent-check agent-port %2$d agent-inter 200ms %3$s
            server s2 127.0.0.1:%1$d weight 20 maxconn 50 agent-check agent-port %2$d agent-inter 200ms %3$s
        """.formatted(unusedPort, agentPort, extra, dir.resolve("admin.sock")));
  }

  @AfterEach
  void stop() {
    if (haproxy != null) {
      haproxy.close();
    }
    if (watch != null) {
      watch.close();
    }
    if (flagFile != null) {
      flagFile.close();
    }
    if (agent != null) {
      agent.close();
    }
  }

  private void writeFlag(String content) throws IOException {
    Path flags = dir.resolve("flags");
    Path tmp = flags.resolve("." + FILE + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, flags.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Polls HAProxy until both servers satisfy {@code expected}; reports the last view and HAProxy's log. */
  private void awaitBoth(String what, Predicate<Map<String, String>> expected) {
    for (String server : new String[] {"s1", "s2"}) {
      try {
        Poll.until(WAIT, "be/" + server + ": " + what, () -> haproxy.server("be", server), expected);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\nhaproxy log:\n" + haproxy.log(), e);
      }
    }
  }

  private long counter(String name) {
    return metrics.scrape().lines().filter(l -> l.startsWith(name + " "))
        .mapToLong(l -> Long.parseLong(l.substring(name.length() + 1))).findFirst().orElseThrow();
  }

  private static int admin(Map<String, String> s) {
    return Integer.parseInt(s.get("srv_admin_state"));
  }

  /** Normal service: running, READY, configured weight (100% of it), no maxconn. */
  private static boolean normal(Map<String, String> s) {
    return RUNNING.equals(s.get("srv_op_state")) && admin(s) == 0
        && s.get("srv_uweight").equals(s.get("srv_iweight")) && s.get("slim").isEmpty()
        && s.get("last_agt").equals("via agent : up");
  }

  private void awaitWatched(AgentReply reply) {
    Poll.until(WAIT, "watcher sees " + reply.encode().strip(), () -> watch.status(),
        new Status.Reachable(reply)::equals);
  }

  @Test
  void haproxyAppliesEveryFlagFileStateAndUpRestoresNormalService() throws IOException {
    startHaproxy("");
    walkThroughEveryState();
  }

  @Test
  void serversWithAgentSendGetTheSameReplies() throws IOException {
    startHaproxy("agent-send \"status\\n\"");
    walkThroughEveryState();
    assertThat(counter("lb_agent_unexpected_input_total")).isPositive(); // HAProxy's "status\n", then closed
  }

  private void walkThroughEveryState() throws IOException {
    awaitBoth("normal service with the default reply", HaproxyAgentCheckTest::normal);

    writeFlag("drain\n");
    awaitBoth("DRAIN by agent", s -> (admin(s) & ADMIN_FDRAIN) != 0 && (admin(s) & ADMIN_FMAINT) == 0
        && RUNNING.equals(s.get("srv_op_state")) && s.get("status").equals("DRAIN (agent)"));
    awaitWatched(AgentReply.DEFAULT.withAdministrative(Administrative.DRAIN));

    writeFlag("maint\n");
    awaitBoth("MAINT by agent", s -> (admin(s) & ADMIN_FMAINT) != 0 && (admin(s) & ADMIN_FDRAIN) == 0
        && s.get("status").equals("MAINT"));

    writeFlag("down #disk full\n"); // "ready" in the full line also leaves MAINT
    awaitBoth("DOWN by agent with its reason", s -> admin(s) == 0 && STOPPED.equals(s.get("srv_op_state"))
        && s.get("status").equals("DOWN (agent)") && s.get("last_agt").equals("via agent : down (disk full)"));
    awaitWatched(AgentReply.DEFAULT.withOperational(Operational.DOWN, "disk full"));

    writeFlag("50%\n"); // "up" in the full line also ends DOWN
    awaitBoth("half weight", s -> RUNNING.equals(s.get("srv_op_state")) && admin(s) == 0
        && Integer.parseInt(s.get("srv_uweight")) * 2 == Integer.parseInt(s.get("srv_iweight")));

    writeFlag("maxconn:7\n"); // "100%" in the full line restores the weight
    awaitBoth("maxconn 7 at full weight", s -> s.get("slim").equals("7")
        && s.get("srv_uweight").equals(s.get("srv_iweight")));

    writeFlag("up\n");
    awaitBoth("normal service again (maxconn:0 lifts even the configured maxconn 50)", HaproxyAgentCheckTest::normal);
    awaitWatched(AgentReply.DEFAULT);
    assertThat(counter("lb_agent_connections_total")).isPositive();
  }

  @Test
  void combinedStateIsAppliedAsOneLine() throws IOException {
    startHaproxy("");
    writeFlag("drain 25% maxconn:3 down #deploying\n");
    awaitBoth("every dimension at once", s -> (admin(s) & ADMIN_FDRAIN) != 0
        && STOPPED.equals(s.get("srv_op_state")) && s.get("slim").equals("3")
        && Integer.parseInt(s.get("srv_uweight")) * 4 == Integer.parseInt(s.get("srv_iweight"))
        && s.get("last_agt").equals("via agent : down (deploying)"));
    writeFlag("up\n");
    awaitBoth("normal service", HaproxyAgentCheckTest::normal);
  }

  @Test
  void invalidFlagFileLeavesHaproxyOnTheLastValidState() throws IOException {
    startHaproxy("");
    writeFlag("drain\n");
    awaitBoth("DRAIN", s -> s.get("status").equals("DRAIN (agent)"));
    writeFlag("drain 150%\n");
    Poll.until(WAIT, "flag file rejected", () -> flagFile.problem().isPresent());
    long served = counter("lb_agent_connections_total");
    Poll.until(WAIT, "more agent checks after the rejection",
        () -> counter("lb_agent_connections_total") >= served + 4);
    assertThat(haproxy.server("be", "s1")).containsEntry("status", "DRAIN (agent)").containsEntry("srv_uweight", "100");
  }

  @Test
  void agentReadyOverridesMaintSetOnTheRuntimeCli() throws IOException {
    startHaproxy("");
    awaitBoth("normal service", HaproxyAgentCheckTest::normal);
    agent.close(); // agent unreachable: HAProxy keeps the state (a failed agent connection is not an error)
    assertThat(haproxy.cli("set server be/s1 state maint")).isBlank();
    assertThat(haproxy.cli("set weight be/s2 5")).isBlank();
    assertThat(haproxy.server("be", "s1").get("status")).isEqualTo("MAINT");
    assertThat(haproxy.server("be", "s2").get("srv_uweight")).isEqualTo("5");

    agent = AgentCheckServer.start(AgentCheckServer.Settings.of(InetAddress.getLoopbackAddress(), agentPort),
        AgentReply.DEFAULT, new Metrics());
    awaitBoth("normal service restored by the agent's full state", HaproxyAgentCheckTest::normal);
  }
}
