package org.example.lb.l7;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.common.test.Poll;
import org.example.lb.l7.agent.AgentReply;
import org.example.lb.l7.control.Controller;
import org.example.lb.l7.haproxy.HaproxyConfig;
import org.example.lb.l7.runtime.RuntimeSocket;
import org.example.lb.l7.runtime.ServerAdminState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller against the real HAProxy when a runtime call fails in the middle of the drain workflow (HAProxy
 * busy or restarting): the workflow still ends in MAINT. The failure is injected by wrapping the real runtime socket.
 */
class ControllerFaultTest {
  private static final Controller.Key S1 = new Controller.Key(HaproxyConfig.SERVERS_BACKEND, "s1");
  private static final Controller.Key S2 = new Controller.Key(HaproxyConfig.SERVERS_BACKEND, "s2");

  @TempDir Path dir;
  private LoopbackTier tier;
  private Controller controller;

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
    if (tier != null) {
      tier.close();
    }
  }

  @Test
  void drainReachesMaintWhenARuntimeCallFailsAsItStarts() throws Exception {
    tier = LoopbackTier.start(dir, LoopbackTier.Settings.defaults().withoutController());
    RuntimeSocket flaky = failingFirstCallOf(tier.runtime(), "setServerWeight");
    controller = Controller.create(flaky, List.of(S1, S2), Optional.empty(), Duration.ofSeconds(1),
        Duration.ofMillis(200), new Metrics());

    controller.report(S1, AgentReply.DEFAULT.withAdministrative(AgentReply.Administrative.MAINT));

    Poll.until(Duration.ofSeconds(5), "s1 MAINT", () -> tier.admin("s1") == ServerAdminState.MAINT);
    Poll.until(Duration.ofSeconds(5), "s1's agent check enabled again", () -> tier.state("s1").agentState().enabled());
  }

  /** The real runtime socket, except that the first call of {@code method} fails as if HAProxy did not answer. */
  private static RuntimeSocket failingFirstCallOf(RuntimeSocket real, String method) {
    AtomicBoolean failed = new AtomicBoolean();
    return (RuntimeSocket) Proxy.newProxyInstance(RuntimeSocket.class.getClassLoader(),
        new Class<?>[] {RuntimeSocket.class}, (proxy, m, args) -> {
          if (m.getName().equals(method) && failed.compareAndSet(false, true)) {
            throw new UncheckedIOException(new IOException("injected: HAProxy did not answer " + method));
          }
          try {
            return m.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
