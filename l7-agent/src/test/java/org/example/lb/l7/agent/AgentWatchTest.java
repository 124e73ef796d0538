package org.example.lb.l7.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.common.test.Poll;
import org.example.lb.l7.agent.AgentReply.Administrative;
import org.example.lb.l7.agent.AgentWatch.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentWatchTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final AgentReply DRAIN = AgentReply.DEFAULT.withAdministrative(Administrative.DRAIN);

  private final List<Status> seen = new CopyOnWriteArrayList<>();
  private AgentCheckServer server;
  private AgentWatch watch;

  @AfterEach
  void stop() {
    if (watch != null) {
      watch.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static AgentWatch.Settings quick(InetSocketAddress agent) {
    return new AgentWatch.Settings(agent, Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofMillis(20),
        Duration.ofMillis(200));
  }

  private AgentCheckServer startServer(int port, AgentReply initial) throws IOException {
    return AgentCheckServer.start(AgentCheckServer.Settings.of(InetAddress.getLoopbackAddress(), port), initial,
        new Metrics());
  }

  private void awaitStatus(Status expected) {
    Poll.until(WAIT, "status " + expected, () -> watch.status(), expected::equals);
  }

  @Test
  void reportsTheCurrentReplyThenEachChange() throws IOException {
    server = startServer(0, AgentReply.DEFAULT);
    watch = AgentWatch.start(quick(server.address()), Runnable::run, seen::add);
    awaitStatus(new Status.Reachable(AgentReply.DEFAULT));
    Poll.until(WAIT, "server sees the watcher", () -> server.watchers() == 1);

    server.set(DRAIN);
    awaitStatus(new Status.Reachable(DRAIN));
    assertThat(seen).containsExactly(new Status.Reachable(AgentReply.DEFAULT), new Status.Reachable(DRAIN));
  }

  @Test
  void keepalivesOfTheSameReplyAreNotReported() throws IOException {
    server = AgentCheckServer.start(new AgentCheckServer.Settings(InetAddress.getLoopbackAddress(), 0,
        Duration.ofSeconds(2), Duration.ofMillis(20)), AgentReply.DEFAULT, new Metrics());
    watch = AgentWatch.start(quick(server.address()), Runnable::run, seen::add);
    awaitStatus(new Status.Reachable(AgentReply.DEFAULT));
    server.set(DRAIN); // arrives after several keepalives
    awaitStatus(new Status.Reachable(DRAIN));
    assertThat(seen).containsExactly(new Status.Reachable(AgentReply.DEFAULT), new Status.Reachable(DRAIN));
  }

  @Test
  void reportsUnreachableWhenTheAgentStopsAndRecoversWhenItReturns() throws IOException {
    server = startServer(0, AgentReply.DEFAULT);
    int port = server.address().getPort();
    watch = AgentWatch.start(quick(server.address()), Runnable::run, seen::add);
    awaitStatus(new Status.Reachable(AgentReply.DEFAULT));

    server.close();
    Status down = Poll.until(WAIT, "unreachable", () -> watch.status(), s -> s instanceof Status.Unreachable);
    assertThat(((Status.Unreachable) down).reason()).startsWith(server.address().toString() + ": ");

    server = startServer(port, DRAIN);
    awaitStatus(new Status.Reachable(DRAIN));
    assertThat(watch.connects()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void reportsUnreachableWhenNothingListens() throws IOException {
    InetSocketAddress nobody;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nobody = (InetSocketAddress) probe.getLocalSocketAddress();
    }
    watch = AgentWatch.start(quick(nobody), Runnable::run, seen::add);
    Status status = Poll.until(WAIT, "unreachable", () -> watch.status(),
        s -> s instanceof Status.Unreachable u && !u.reason().contains("not connected yet"));
    assertThat(((Status.Unreachable) status).reason()).contains("Connection refused");
    assertThat(seen).hasSize(1); // repeated identical failures are reported once
  }

  @Test
  void garbageLinesAreCountedAndDropped() throws Exception {
    try (GarbageSendingAgent agent = new GarbageSendingAgent()) {
      watch = AgentWatch.start(quick(agent.address()), Runnable::run, seen::add);
      awaitStatus(new Status.Reachable(new AgentReply(AgentReply.Operational.DOWN, "", Administrative.DRAIN, 100, 0)));
      assertThat(watch.droppedLines()).isEqualTo(3);
      assertThat(seen).hasSize(1);
    }
  }

  @Test
  void silenceBeyondTheLimitMeansUnreachable() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      var settings = new AgentWatch.Settings((InetSocketAddress) silent.getLocalSocketAddress(),
          Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(10));
      watch = AgentWatch.start(settings, Runnable::run, seen::add);
      try (Socket accepted = silent.accept()) { // accepts and never writes
        Status status = Poll.until(WAIT, "unreachable", () -> watch.status(),
            s -> s instanceof Status.Unreachable u && u.reason().contains("no line"));
        assertThat(((Status.Unreachable) status).reason()).endsWith(": no line for PT0.2S");
      }
    }
  }

  /** Sends what no real agent server sends: junk, an over-long line, then one valid line, and stays open. */
  private static final class GarbageSendingAgent implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final Thread thread = Thread.ofVirtual().start(this::serve);

    GarbageSendingAgent() throws IOException {}

    InetSocketAddress address() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void serve() {
      try (Socket s = socket.accept()) {
        OutputStream out = s.getOutputStream();
        out.write("sideways\n".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, '\n'});
        out.write(("x".repeat(5000) + "\n").getBytes(StandardCharsets.US_ASCII));
        out.write("down drain 100% maxconn:0\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        s.getInputStream().readAllBytes(); // until the watcher closes
      } catch (IOException ignored) {
        // test over
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      thread.interrupt();
    }
  }
}
