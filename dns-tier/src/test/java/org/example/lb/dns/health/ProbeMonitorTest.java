package org.example.lb.dns.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.example.lb.common.test.ManualCheckScheduler;
import org.example.lb.common.test.NginxServer;
import org.example.lb.common.test.Poll;
import org.example.lb.common.test.SilentListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * http_status against a real nginx on 127.0.0.1 (status codes, ok_codes, timeouts, gdnsd's thresholds) and tcp_connect
 * against a listener that comes and goes. Checks run when the test moves time ({@link ManualCheckScheduler}); each
 * result is waited for by polling the published snapshot.
 */
class ProbeMonitorTest {
  static final Duration DEADLINE = Duration.ofSeconds(10);
  static final Duration INTERVAL = Duration.ofSeconds(1);
  @TempDir static Path nginxDir;
  private static NginxServer nginx;
  private static Path downFlag;
  @TempDir Path dir;
  private final ManualCheckScheduler scheduler = new ManualCheckScheduler();
  private HealthTable table;

  @BeforeAll
  static void startNginx() throws IOException {
    downFlag = nginxDir.resolve("down");
    nginx = NginxServer.startHttp(nginxDir, "monitored", """
        location = /ok { return 200 "ok\\n"; }
        location = /moved { return 301 /ok; }
        location = /fail { return 503; }
        location = /flag { if (-f %s) { return 503; } return 200 "ok\\n"; }
        """.formatted(downFlag));
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) {
      nginx.stop();
    }
  }

  @BeforeEach
  void start() {
    table = HealthTable.start(dir.resolve("admin_state"), scheduler, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws IOException {
    table.close();
    Files.deleteIfExists(downFlag);
  }

  private static ServiceType http(int port, String path, List<Integer> okCodes, Duration timeout, int up, int ok,
      int down) {
    return new ServiceType(ServiceType.Plugin.HTTP_STATUS, port, path, Optional.empty(), okCodes, INTERVAL, timeout,
        up, ok, down, null, null, null, null, null, null);
  }

  private static ServiceType tcp(int port, int up, int ok, int down) {
    return new ServiceType(ServiceType.Plugin.TCP_CONNECT, port, null, Optional.empty(), null, INTERVAL,
        Duration.ofMillis(500), up, ok, down, null, null, null, null, null, null);
  }

  private MonitorSpec spec(String typeName, ServiceType type) {
    return new MonitorSpec(InetAddress.getLoopbackAddress(), typeName, type, dir);
  }

  private MonitorStatus status(String typeName) {
    return table.snapshot().monitors().get("127.0.0.1/" + typeName);
  }

  /** Adds the monitors and runs their first checks (gdnsd's initial round). */
  private void addAndRunFirstChecks(List<MonitorSpec> specs) {
    CompletableFuture<Void> first = table.add(specs, Set.of());
    Poll.until(DEADLINE, "the first checks", () -> {
      scheduler.runDue();
      return first.isDone();
    });
  }

  /** One interval: every monitor checks once; waits until {@code n} results are published. */
  private void interval(int n) {
    long version = table.snapshot().version();
    scheduler.advance(INTERVAL);
    Poll.until(DEADLINE, () -> n + " results after version " + version + ", now " + table.snapshot(),
        () -> table.snapshot().version() >= version + n);
  }

  @Test
  void httpStatusPassesOnTheOkCodesOnly() {
    int port = nginx.port();
    addAndRunFirstChecks(List.of(spec("ok", http(port, "/ok", null, null, 0, 0, 0)),
        spec("moved", http(port, "/moved", null, null, 0, 0, 0)),
        spec("movedok", http(port, "/moved", List.of(200, 301), null, 0, 0, 0)),
        spec("fail", http(port, "/fail", null, null, 0, 0, 0))));
    // first result sets the state; TTL interval × threshold: 1 s × down_thresh 10 / up_thresh 20
    assertThat(status("ok").real()).isEqualTo(HealthState.up(10));
    assertThat(status("ok").lastCheck()).startsWith("ok HTTP 200");
    assertThat(status("moved").real()).as("301 is not in the default ok_codes [200]").isEqualTo(HealthState.down(20));
    assertThat(status("moved").lastCheck()).startsWith("failed HTTP 301");
    assertThat(status("movedok").real()).isEqualTo(HealthState.up(10));
    assertThat(status("fail").real()).isEqualTo(HealthState.down(20));
    assertThat(status("fail").lastCheck()).startsWith("failed HTTP 503");
  }

  @Test
  void httpStatusGoesDownAndUpWithGdnsdsThresholds() throws IOException {
    addAndRunFirstChecks(List.of(spec("flag", http(nginx.port(), "/flag", null, null, 3, 2, 2))));
    assertThat(status("flag").real()).isEqualTo(HealthState.up(2));
    Files.writeString(downFlag, "");
    interval(1);
    assertThat(status("flag").real()).isEqualTo(HealthState.up(1));
    Files.delete(downFlag);
    interval(1);
    assertThat(status("flag").real()).as("one success is not ok_thresh 2 in a row").isEqualTo(HealthState.up(1));
    Files.writeString(downFlag, "");
    interval(1);
    assertThat(status("flag").real()).as("the second failure, though not in a row").isEqualTo(HealthState.down(3));
    assertThat(status("flag").since()).isPresent();
    Files.delete(downFlag);
    interval(1);
    interval(1);
    assertThat(status("flag").real()).isEqualTo(HealthState.down(1));
    assertThat(status("flag").progress()).isEqualTo("2/3 successes");
    interval(1);
    assertThat(status("flag").real()).isEqualTo(HealthState.up(2));
  }

  @Test
  void aServerThatNeverAnswersFailsAtTheTimeout() throws Exception {
    try (SilentListener silent = SilentListener.start()) {
      addAndRunFirstChecks(List.of(spec("silent", http(silent.address().getPort(), "/", null,
          Duration.ofMillis(200), 0, 0, 0))));
      assertThat(status("silent").real().down()).isTrue();
      assertThat(status("silent").lastCheck()).startsWith("failed timeout after 200ms");
    }
  }

  @Test
  void tcpConnectFollowsAListenerThatComesAndGoes() throws IOException {
    int port;
    ServerSocket listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    port = listener.getLocalPort();
    try {
      addAndRunFirstChecks(List.of(spec("tcp", tcp(port, 1, 1, 1))));
      assertThat(status("tcp").real()).isEqualTo(HealthState.up(1));
      assertThat(status("tcp").lastCheck()).startsWith("ok connected");
      listener.close();
      interval(1);
      assertThat(status("tcp").real()).isEqualTo(HealthState.down(1));
      assertThat(status("tcp").lastCheck()).startsWith("failed connect refused");
      listener = new ServerSocket();
      listener.setReuseAddress(true);
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      interval(1);
      assertThat(status("tcp").real()).isEqualTo(HealthState.up(1));
    } finally {
      listener.close();
    }
  }
}
