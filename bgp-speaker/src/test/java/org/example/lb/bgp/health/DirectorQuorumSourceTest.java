package org.example.lb.bgp.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.example.lb.common.health.ProbeResult;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.SilentListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DirectorQuorumSourceTest {
  private final CannedStatusServer director = new CannedStatusServer();

  @AfterEach
  void stop() {
    director.close();
  }

  private ProbeResult check() {
    return HealthSource.directorQuorum(director.uri()).check();
  }

  @Test
  void passesWhenServingWithQuorum() {
    director.answer(200, CannedStatusServer.status(true, true));
    ProbeResult r = check();
    assertThat(r.ok()).isTrue();
    assertThat(r.detail()).isEqualTo("serving, quorum up (live weight 300, quorum 100)");
  }

  @Test
  void failsWithoutQuorum() {
    director.answer(200, CannedStatusServer.status(true, false));
    ProbeResult r = check();
    assertThat(r.ok()).isFalse();
    assertThat(r.detail()).isEqualTo("quorum down (live weight 0, quorum 100)");
  }

  @Test
  void failsWhenTheDirectorIsShuttingDown() {
    director.answer(200, CannedStatusServer.status(false, true));
    assertThat(check()).extracting(ProbeResult::ok, ProbeResult::detail)
        .containsExactly(false, "director not serving (shutting down)");
  }

  @Test
  void failsOnAStatusOtherThan200() {
    director.answer(503, CannedStatusServer.status(true, true));
    assertThat(check()).extracting(ProbeResult::ok, ProbeResult::detail)
        .containsExactly(false, "HTTP 503 from " + director.uri());
  }

  @Test
  void failsOnBadJson() {
    director.answer(200, "{\"serving\": tru");
    ProbeResult r = check();
    assertThat(r.ok()).isFalse();
    assertThat(r.detail()).startsWith("bad JSON: ");
  }

  @Test
  void failsOnJsonWithoutTheFields() {
    director.answer(200, "{\"serving\":\"yes\",\"quorum\":{\"up\":true}}");
    assertThat(check().detail()).isEqualTo("bad status: no boolean \"serving\"");
    director.answer(200, "{\"serving\":true}");
    assertThat(check().detail()).isEqualTo("bad status: no boolean \"quorum.up\"");
    director.answer(200, "[1,2]");
    assertThat(check().detail()).isEqualTo("bad status: not a JSON object");
    director.answer(200, "");
    assertThat(check().ok()).isFalse();
  }

  @Test
  void failsWhenUnreachable() {
    URI nobody = URI.create("http://127.0.0.1:" + FreePorts.one() + "/status");
    ProbeResult r = HealthSource.directorQuorum(nobody).check();
    assertThat(r.ok()).isFalse();
    assertThat(r.detail()).isEqualTo("connect refused: " + nobody);
  }

  @Test
  void failsAtItsTimeoutWhenTheDirectorHangs() throws Exception {
    try (SilentListener hung = SilentListener.start()) {
      URI uri = URI.create("http://127.0.0.1:" + hung.address().getPort() + "/status");
      ProbeResult r = HealthSource.directorQuorum(uri, Duration.ofMillis(300)).check();
      assertThat(r.ok()).isFalse();
      assertThat(r.detail()).isEqualTo("timeout after 300ms");
    }
  }

  @Test
  void rejectsANonHttpUri() {
    assertThatThrownBy(() -> HealthSource.directorQuorum(URI.create("file:///status")))
        .hasMessage("uri: file:///status (expected: an http URI such as http://127.0.0.1:9200/status)");
  }
}
