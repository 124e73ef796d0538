package org.example.lb.common.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.NginxServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probes against a real nginx on 127.0.0.1. */
class ProbeAgainstNginxTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @TempDir
  static Path dir;
  static NginxServer nginx;

  @BeforeAll
  static void startNginx() throws Exception {
    nginx = NginxServer.startHttp(dir, "probed", """
        location = / { return 200 "hello\\n"; }
        location = /healthcheck { if (-f %s/maintenance) { return 503; } return 200 "ok\\n"; }
        location = /unavailable { return 503; }
        location = /empty { return 204; }
        location = /vhost { if ($http_host = "www.example.test") { return 200; } return 421; }
        location = /default-host { if ($http_host ~ "^127\\.0\\.0\\.1:[0-9]+$") { return 200; } return 421; }
        """.formatted(dir));
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) {
      nginx.stop();
    }
  }

  private static InetSocketAddress nginxAddress() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), nginx.port());
  }

  @Test
  void httpGetPassesOn200() {
    ProbeResult r = Probe.httpGet(nginxAddress(), "/healthcheck").run(TIMEOUT);
    assertThat(r.ok()).isTrue();
    assertThat(r.detail()).isEqualTo("HTTP 200");
    assertThat(r.elapsed()).isPositive().isLessThan(TIMEOUT);
  }

  @Test
  void httpGetFailsOn503WithTheCodeAsDetail() {
    ProbeResult r = Probe.httpGet(nginxAddress(), "/unavailable").run(TIMEOUT);
    assertThat(r.ok()).isFalse();
    assertThat(r.detail()).isEqualTo("HTTP 503");
  }

  @Test
  void healthcheckFollowsAMaintenanceFlagFile() throws Exception {
    Probe probe = Probe.httpGet(nginxAddress(), "/healthcheck");
    Path flag = dir.resolve("maintenance");
    Files.writeString(flag, "");
    try {
      assertThat(probe.run(TIMEOUT)).extracting(ProbeResult::ok, ProbeResult::detail).containsExactly(false, "HTTP 503");
    } finally {
      Files.delete(flag);
    }
    assertThat(probe.run(TIMEOUT).ok()).isTrue();
  }

  @Test
  void okStatusSetDecidesWhatPasses() {
    InetSocketAddress target = nginxAddress();
    assertThat(Probe.httpGet(target, "/empty").run(TIMEOUT)).extracting(ProbeResult::ok, ProbeResult::detail)
        .containsExactly(false, "HTTP 204");
    assertThat(Probe.httpGet(target, "/empty", Optional.empty(), Set.of(200, 204)).run(TIMEOUT).ok()).isTrue();
    assertThat(Probe.httpGet(target, "/healthcheck", Optional.empty(), Set.of(204)).run(TIMEOUT).ok()).isFalse();
  }

  @Test
  void hostHeaderDefaultsToTheTargetAndCanBeSet() {
    InetSocketAddress target = nginxAddress();
    assertThat(Probe.httpGet(target, "/default-host").run(TIMEOUT).detail()).isEqualTo("HTTP 200");
    assertThat(Probe.httpGet(target, "/vhost").run(TIMEOUT).detail()).isEqualTo("HTTP 421");
    assertThat(Probe.httpGet(target, "/vhost", Optional.of("www.example.test"), Set.of(200)).run(TIMEOUT).detail())
        .isEqualTo("HTTP 200");
  }

  @Test
  void tcpConnectPassesWhenNginxListens() {
    ProbeResult r = Probe.tcpConnect(nginxAddress()).run(TIMEOUT);
    assertThat(r.ok()).isTrue();
    assertThat(r.detail()).isEqualTo("connected");
  }

  @Test
  void bothProbesReportRefusedConnectionsWhereNothingListens() {
    InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.one());
    assertThat(Probe.httpGet(nobody, "/healthcheck").run(TIMEOUT))
        .extracting(ProbeResult::ok, ProbeResult::detail).containsExactly(false, "connect refused");
    assertThat(Probe.tcpConnect(nobody).run(TIMEOUT))
        .extracting(ProbeResult::ok, ProbeResult::detail).containsExactly(false, "connect refused");
  }
}
