package org.example.lb.bgp.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.example.lb.common.health.ProbeResult;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.NginxServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpSourceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static NginxServer nginx;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    nginx = NginxServer.startHttp(dir, "health", """
        location = /ok { return 200 "ok\\n"; }
        location = /empty { return 204; }
        location = /maintenance { return 503; }
        location = /moved { return 302 /ok; }
        """);
  }

  @AfterAll
  static void stop() {
    if (nginx != null) {
      nginx.stop();
    }
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + nginx.port() + path);
  }

  @Test
  void passesOnAny2xx() {
    assertThat(HealthSource.http(uri("/ok"), TIMEOUT).check())
        .extracting(ProbeResult::ok, ProbeResult::detail).containsExactly(true, "HTTP 200");
    assertThat(HealthSource.http(uri("/empty"), TIMEOUT).check())
        .extracting(ProbeResult::ok, ProbeResult::detail).containsExactly(true, "HTTP 204");
  }

  @Test
  void failsOnOtherStatusesUnlessConfigured() {
    assertThat(HealthSource.http(uri("/maintenance"), TIMEOUT).check())
        .extracting(ProbeResult::ok, ProbeResult::detail).containsExactly(false, "HTTP 503");
    assertThat(HealthSource.http(uri("/moved"), TIMEOUT).check().ok()).isFalse();
    assertThat(HealthSource.http(uri("/moved"), TIMEOUT, Set.of(302)).check().ok()).isTrue();
    assertThat(HealthSource.http(uri("/ok"), TIMEOUT, Set.of(302)).check().ok()).isFalse();
  }

  @Test
  void failsWhenNothingListens() {
    ProbeResult r = HealthSource.http(URI.create("http://127.0.0.1:" + FreePorts.one() + "/"), TIMEOUT).check();
    assertThat(r).extracting(ProbeResult::ok, ProbeResult::detail).containsExactly(false, "connect refused");
  }

  @Test
  void acceptsIpv6LiteralsAndRejectsNamesAndTls() {
    assertThat(HealthSource.http(URI.create("http://[::1]:8080/healthcheck"), TIMEOUT).toString())
        .isEqualTo("HTTP GET http://[::1]:8080/healthcheck");
    assertThatThrownBy(() -> HealthSource.http(URI.create("http://localhost/"), TIMEOUT))
        .hasMessage("uri: http://localhost/ (expected: an IP address literal as host (names are never resolved))");
    assertThatThrownBy(() -> HealthSource.http(URI.create("https://127.0.0.1/"), TIMEOUT))
        .hasMessage("uri: https://127.0.0.1/ (expected: http://<IP address>[:port]/path (no TLS, no user))");
  }
}
