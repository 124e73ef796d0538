package org.example.lb.l7;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.example.lb.common.test.Poll;
import org.example.lb.l7.runtime.OperationalState;
import org.example.lb.l7.runtime.RuntimeApiException;
import org.example.lb.l7.runtime.ServerAdminState;
import org.example.lb.l7.runtime.ServerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server's flag file reaches the real HAProxy through the controller's push, long before HAProxy's own agent
 * check would carry it: agent-inter is 10 s here, and every change must show in {@code show servers state}
 * within {@link #PUSH_DEADLINE}.
 */
class StatePushTest {
  /** A fifth of the agent interval: a change seen this soon was pushed, not polled by HAProxy. */
  static final Duration PUSH_DEADLINE = Duration.ofSeconds(2);

  @TempDir Path dir;
  private LoopbackTier tier;

  @BeforeEach
  void start() throws Exception {
    tier = LoopbackTier.start(dir, LoopbackTier.Settings.defaults().withAgentInterval(Duration.ofSeconds(10)));
  }

  @AfterEach
  void stop() {
    if (tier != null) {
      tier.close();
    }
  }

  @Test
  void serverDrainReachesHaproxyBeforeTheAgentInterval() throws IOException {
    tier.writeServerFlag("s1", "drain\n");

    awaitState("s1", PUSH_DEADLINE, "DRAIN", s -> s.adminState().effective() == ServerAdminState.DRAIN);
    assertThat(tier.admin("s2")).isEqualTo(ServerAdminState.READY);
    assertThat(tier.stat("s1").status()).startsWith("DRAIN");

    tier.writeServerFlag("s1", "ready\n");
    awaitState("s1", PUSH_DEADLINE, "READY again", s -> s.adminState().effective() == ServerAdminState.READY);
  }

  @Test
  void serverWeightReachesHaproxyBeforeTheAgentInterval() throws IOException {
    tier.writeServerFlag("s2", "50%\n");

    ServerState s2 = awaitState("s2", PUSH_DEADLINE, "weight 50 of 100", s -> s.userWeight() == 50);
    assertThat(s2.initialWeight()).isEqualTo(100);
    assertThat(s2.adminState().effective()).isEqualTo(ServerAdminState.READY);

    tier.writeServerFlag("s2", "up 100%\n");
    awaitState("s2", PUSH_DEADLINE, "weight 100 again", s -> s.userWeight() == 100);
  }

  @Test
  void serverDownThenUpReachHaproxyBeforeTheAgentInterval() throws IOException {
    tier.writeServerFlag("s1", "down #disk replaced\n");

    awaitState("s1", PUSH_DEADLINE, "STOPPED", s -> s.operationalState().equals(OperationalState.STOPPED));
    assertThat(tier.stat("s1").status()).startsWith("DOWN");
    assertThat(tier.stat("s2").status()).startsWith("UP");

    tier.writeServerFlag("s1", "up\n");
    awaitState("s1", PUSH_DEADLINE, "RUNNING", s -> s.operationalState().equals(OperationalState.RUNNING));
    assertThat(tier.stat("s1").status()).startsWith("UP");
  }

  @Test
  void agentRestartConvergesHaproxy() throws Exception {
    tier.writeServerFlag("s1", "drain\n");
    awaitState("s1", PUSH_DEADLINE, "DRAIN", s -> s.adminState().effective() == ServerAdminState.DRAIN);

    tier.stopAgent("s1");
    tier.writeServerFlag("s1", "up ready 30%\n"); // changed while no agent serves it
    assertThat(tier.admin("s1")).as("an unreachable agent changes nothing in HAProxy").isEqualTo(ServerAdminState.DRAIN);
    tier.startAgent("s1");

    // Well before HAProxy's next agent check (10 s): the controller's watch reconnects and pushes the file's state.
    awaitState("s1", Duration.ofSeconds(6), "READY at weight 30 after the agent restart",
        s -> s.adminState().effective() == ServerAdminState.READY && s.userWeight() == 30);
  }

  private ServerState awaitState(String server, Duration deadline, String what, Predicate<ServerState> done) {
    ServerState[] last = {null};
    try {
      Poll.until(deadline, server + " " + what, () -> {
        try {
          last[0] = tier.state(server);
          return done.test(last[0]);
        } catch (RuntimeApiException e) {
          return false;
        }
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last state " + last[0] + "\n" + tier.describe(), e);
    }
    return last[0];
  }
}
