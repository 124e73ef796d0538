package org.example.lb.l7.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.common.test.Poll;
import org.example.lb.l7.agent.AgentReply.Administrative;
import org.example.lb.l7.agent.AgentReply.Operational;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCheckServerTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String FILE = "agent-check";

  @TempDir Path flags;
  private final Metrics metrics = new Metrics();
  private AgentCheckServer server;
  private AgentFlagFile flagFile;

  @AfterEach
  void stop() {
    if (flagFile != null) {
      flagFile.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private AgentCheckServer start(Duration grace, Duration keepalive) throws IOException {
    server = AgentCheckServer.start(
        new AgentCheckServer.Settings(InetAddress.getLoopbackAddress(), 0, grace, keepalive),
        AgentReply.DEFAULT, metrics);
    return server;
  }

  private void followFlagFile() throws IOException {
    if (server == null) {
      start(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
    flagFile = AgentFlagFile.watch(flags, FILE, Duration.ofMillis(100), server::set, metrics);
  }

  private void writeFlag(String content) throws IOException {
    Path tmp = flags.resolve("." + FILE + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, flags.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private InetSocketAddress address() {
    return server.address();
  }

  private void awaitServed(String line) {
    Poll.until(WAIT, "served line " + line.strip(), () -> AgentClient.fetch(address()), line::equals);
  }

  @Test
  void servesTheFlagFileContentAsAFullStateLine() throws IOException {
    writeFlag("drain 50%\n");
    followFlagFile();
    awaitServed("up drain 50% maxconn:0\n");
    assertThat(server.current()).isEqualTo(
        AgentReply.DEFAULT.withAdministrative(Administrative.DRAIN).withWeightPercent(50));
  }

  @Test
  void servesEachNewContentOfTheFile() throws IOException {
    followFlagFile();
    awaitServed("up ready 100% maxconn:0\n");
    writeFlag("maint");
    awaitServed("up maint 100% maxconn:0\n");
    writeFlag("down #disk full\n");
    awaitServed("down ready 100% maxconn:0 #disk full\n");
    Files.writeString(flags.resolve(FILE), "up maxconn:10\n"); // in place, not atomic
    awaitServed("up ready 100% maxconn:10\n");
  }

  @Test
  void invalidFileKeepsTheLastValidStateAndSaysWhatWasExpected() throws IOException {
    writeFlag("drain\n");
    followFlagFile();
    awaitServed("up drain 100% maxconn:0\n");

    writeFlag("dran\n");
    String problem = Poll.until(WAIT, "problem reported", () -> flagFile.problem(), p -> p.isPresent()).get();

    assertThat(problem).isEqualTo(flags.resolve(FILE) + ": line 1: \"dran\" (expected: up, down, stopped, fail, "
        + "ready, drain, maint, N% (0-100), maxconn:N or #reason)");
    assertThat(AgentClient.fetch(address())).isEqualTo("up drain 100% maxconn:0\n");
    assertThat(metrics.scrape()).contains("lb_agent_flag_file_invalid_total 1\n");

    writeFlag(""); // e.g. truncated by an editor before being written
    Poll.until(WAIT, "blank file reported", () -> flagFile.problem().orElse(""), p -> p.contains("empty"));
    assertThat(AgentClient.fetch(address())).isEqualTo("up drain 100% maxconn:0\n");

    writeFlag("ready 75%");
    awaitServed("up ready 75% maxconn:0\n");
    assertThat(flagFile.problem()).isEmpty();
  }

  @Test
  void missingFileServesTheDefault() throws IOException {
    server = AgentCheckServer.start(AgentCheckServer.Settings.of(InetAddress.getLoopbackAddress(), 0),
        AgentReply.DEFAULT.withAdministrative(Administrative.MAINT), metrics); // e.g. set by a controller before
    followFlagFile();
    awaitServed("up ready 100% maxconn:0\n");

    writeFlag("drain");
    awaitServed("up drain 100% maxconn:0\n");
    Files.delete(flags.resolve(FILE));
    awaitServed("up ready 100% maxconn:0\n");
  }

  @Test
  void watcherGetsTheCurrentLineThenEveryChange() throws IOException {
    start(Duration.ofSeconds(2), Duration.ofSeconds(30));
    try (AgentClient watcher = new AgentClient(address())) {
      assertThat(watcher.readLine()).isEqualTo("up ready 100% maxconn:0\n");
      watcher.send("watch\n");
      Poll.until(WAIT, "one watcher", () -> server.watchers() == 1);

      server.set(AgentReply.DEFAULT.withAdministrative(Administrative.DRAIN));
      assertThat(watcher.readLine()).isEqualTo("up drain 100% maxconn:0\n");
      server.set(AgentReply.DEFAULT.withOperational(Operational.DOWN, "oom"));
      assertThat(watcher.readLine()).isEqualTo("down ready 100% maxconn:0 #oom\n");
      assertThat(metrics.scrape()).contains("lb_agent_watch_subscribers 1\n");
    }
    Poll.until(WAIT, "watcher gone", () -> server.watchers() == 0);
  }

  @Test
  void watcherGetsFlagFileChangesPushed() throws IOException {
    followFlagFile();
    awaitServed("up ready 100% maxconn:0\n");
    try (AgentClient watcher = new AgentClient(address())) {
      watcher.readLine();
      watcher.send("watch\r\n");
      Poll.until(WAIT, "one watcher", () -> server.watchers() == 1);
      writeFlag("maint #kernel upgrade");
      assertThat(watcher.readLine()).isEqualTo("up maint 100% maxconn:0 #kernel upgrade\n");
    }
  }

  @Test
  void watcherGetsKeepalivesWithoutChanges() throws IOException {
    start(Duration.ofSeconds(2), Duration.ofMillis(100));
    try (AgentClient watcher = new AgentClient(address())) {
      watcher.readLine();
      watcher.send("watch\n");
      assertThat(watcher.readLine()).isEqualTo("up ready 100% maxconn:0\n");
      assertThat(watcher.readLine()).isEqualTo("up ready 100% maxconn:0\n");
    }
  }

  @Test
  void watcherThatSubscribesAfterAChangeGetsTheNewLine() throws IOException {
    start(Duration.ofSeconds(2), Duration.ofSeconds(30));
    try (AgentClient watcher = new AgentClient(address())) {
      assertThat(watcher.readLine()).isEqualTo("up ready 100% maxconn:0\n");
      server.set(AgentReply.DEFAULT.withWeightPercent(10));
      watcher.send("watch\n");
      assertThat(watcher.readLine()).isEqualTo("up ready 10% maxconn:0\n");
    }
  }

  @Test
  void silentConnectionIsClosedAfterTheGracePeriod() throws IOException {
    start(Duration.ofMillis(200), Duration.ofSeconds(5));
    try (AgentClient client = new AgentClient(address())) {
      assertThat(client.readLine()).isEqualTo("up ready 100% maxconn:0\n");
      assertThat(client.readToEnd()).isZero(); // end of stream, no more data
    }
  }

  @Test
  void otherInputSuchAsAgentSendGetsTheLineThenEndOfStream() throws IOException {
    start(Duration.ofSeconds(30), Duration.ofSeconds(30));
    try (AgentClient client = new AgentClient(address())) {
      client.send("be_web/srv1\n"); // what HAProxy sends with agent-send
      assertThat(client.readLine()).isEqualTo("up ready 100% maxconn:0\n");
      client.setReadTimeout(5000); // far below the grace period: the close is due to the input
      assertThat(client.readToEnd()).isZero();
    }
    assertThat(server.watchers()).isZero();
    assertThat(metrics.scrape()).contains("lb_agent_unexpected_input_total 1\n");
  }

  @Test
  void watchWordMustBeExact() throws IOException {
    start(Duration.ofSeconds(30), Duration.ofSeconds(30));
    try (AgentClient client = new AgentClient(address())) {
      client.readLine();
      client.send("watchx\n");
      assertThat(client.readToEnd()).isZero();
    }
    assertThat(server.watchers()).isZero();
  }

  @Test
  void manyConcurrentConnectionsEachGetTheLine() throws Exception {
    start(Duration.ofSeconds(2), Duration.ofSeconds(5));
    server.set(AgentReply.DEFAULT.withMaxconn(3));
    List<Future<String>> replies = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 200; i++) {
        replies.add(pool.submit(() -> AgentClient.fetch(address())));
      }
      for (Future<String> reply : replies) {
        assertThat(reply.get()).isEqualTo("up ready 100% maxconn:3\n");
      }
    }
    assertThat(metrics.scrape()).contains("lb_agent_connections_total 200\n");
  }

  @Test
  void everyConnectionAfterSetReturnsGetsTheNewLine() throws IOException {
    start(Duration.ofSeconds(2), Duration.ofSeconds(5));
    for (int i = 0; i < 300; i++) {
      AgentReply reply = AgentReply.DEFAULT.withMaxconn(i);
      server.set(reply);
      assertThat(AgentClient.fetch(address())).isEqualTo(reply.encode());
    }
  }

  @Test
  void subscriberGetsTheCurrentReplyThenEachChangeInOrder() throws IOException {
    start(Duration.ofSeconds(2), Duration.ofSeconds(5));
    List<AgentReply> seen = new CopyOnWriteArrayList<>();
    AgentReply drain = AgentReply.DEFAULT.withAdministrative(Administrative.DRAIN);
    AgentReply down = drain.withOperational(Operational.DOWN, "");
    try (var subscription = server.subscribe(seen::add)) {
      assertThat(server.set(drain)).isTrue();
      assertThat(server.set(drain)).isFalse(); // no change, no call
      assertThat(server.set(down)).isTrue();
      Poll.until(WAIT, "three calls", () -> seen.size() == 3);
      assertThat(seen).containsExactly(AgentReply.DEFAULT, drain, down);
    }
    server.set(AgentReply.DEFAULT);
    assertThat(AgentClient.fetch(address())).isEqualTo("up ready 100% maxconn:0\n");
    assertThat(seen).hasSize(3);
    assertThat(metrics.scrape()).contains("lb_agent_state_changes_total 3\n");
  }

  @Test
  void metricsShowTheServedState() throws IOException {
    start(Duration.ofSeconds(2), Duration.ofSeconds(5));
    server.set(new AgentReply(Operational.DOWN, "", Administrative.DRAIN, 40, 9));
    assertThat(metrics.scrape()).contains("lb_agent_up 0\n", "lb_agent_weight_percent 40\n",
        "lb_agent_maxconn 9\n", "lb_agent_admin_state{state=\"drain\"} 1\n",
        "lb_agent_admin_state{state=\"ready\"} 0\n");
  }

  @Test
  void closingStopsListening() throws IOException {
    start(Duration.ofSeconds(2), Duration.ofSeconds(5));
    InetSocketAddress address = address();
    server.close();
    Poll.until(WAIT, "connection refused", () -> {
      try (var socket = new java.net.Socket()) {
        socket.connect(address, 1000);
        return false;
      } catch (IOException e) {
        return true;
      }
    });
  }
}
