package org.example.lb.common.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.example.lb.common.test.CannedReplyServer;
import org.example.lb.common.test.Poll;
import org.example.lb.common.test.SilentListener;
import org.junit.jupiter.api.Test;

/** Faults a real daemon does not produce on demand: hung listeners, garbage, resets. */
class ProbeFaultTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  @Test
  void aListenerThatNeverAnswersIsATimeoutAfterTheBudget() throws Exception {
    try (SilentListener silent = SilentListener.start()) {
      ProbeResult r = Probe.httpGet(silent.address(), "/healthcheck").run(SHORT);
      assertThat(r.ok()).isFalse();
      assertThat(r.detail()).isEqualTo("timeout after 300ms");
      assertThat(r.elapsed()).isGreaterThanOrEqualTo(SHORT);
    }
  }

  @Test
  void tcpConnectPassesOnAListenerThatNeverAnswers() throws Exception {
    try (SilentListener silent = SilentListener.start()) {
      assertThat(Probe.tcpConnect(silent.address()).run(SHORT).ok()).isTrue();
    }
  }

  @Test
  void garbageInsteadOfAStatusLineFails() throws Exception {
    try (CannedReplyServer ssh = CannedReplyServer.replying(
        "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".getBytes(StandardCharsets.US_ASCII))) {
      ProbeResult r = Probe.httpGet(ssh.address(), "/healthcheck").run(SHORT);
      assertThat(r.ok()).isFalse();
      assertThat(r.detail()).isEqualTo("bad status line \"SSH-2.0-OpenSSH_9.2p1 Debian-2\"");
    }
  }

  @Test
  void binaryGarbageIsQuotedPrintablyAndShortened() throws Exception {
    byte[] junk = new byte[2000];
    for (int i = 0; i < junk.length; i++) {
      junk[i] = (byte) (i * 7 + 1);
      if (junk[i] == '\n') {
        junk[i] = 'x';
      }
    }
    try (CannedReplyServer server = CannedReplyServer.replying(junk)) {
      ProbeResult r = Probe.httpGet(server.address(), "/").run(SHORT);
      assertThat(r.ok()).isFalse();
      assertThat(r.detail()).startsWith("bad status line \"").endsWith("...\"").hasSizeLessThan(70)
          .matches("[ -~]+");
    }
  }

  @Test
  void aStatusCodeOutsideHttpIsGarbage() throws Exception {
    try (CannedReplyServer server = CannedReplyServer.replying(
        "HTTP/1.1 999 Nope\r\n\r\n".getBytes(StandardCharsets.US_ASCII))) {
      assertThat(Probe.httpGet(server.address(), "/").run(SHORT).detail())
          .isEqualTo("bad status line \"HTTP/1.1 999 Nope\"");
    }
  }

  @Test
  void aStatusLineWithoutLineEndBeforeCloseIsJudgedAsItIs() throws Exception {
    try (CannedReplyServer server = CannedReplyServer.replying("HTTP/1.0 200 OK".getBytes(StandardCharsets.US_ASCII))) {
      assertThat(Probe.httpGet(server.address(), "/").run(SHORT)).extracting(ProbeResult::ok, ProbeResult::detail)
          .containsExactly(true, "HTTP 200");
    }
  }

  @Test
  void aCloseWithoutAByteFails() throws Exception {
    try (CannedReplyServer server = CannedReplyServer.replying(new byte[0])) {
      assertThat(Probe.httpGet(server.address(), "/").run(SHORT)).extracting(ProbeResult::ok, ProbeResult::detail)
          .containsExactly(false, "closed without a response");
    }
  }

  @Test
  void aResetFails() throws Exception {
    try (CannedReplyServer server = CannedReplyServer.resetting()) {
      ProbeResult r = Probe.httpGet(server.address(), "/").run(SHORT);
      assertThat(r.ok()).isFalse();
      // The reset may arrive while connecting, before the request is written or while the status line is awaited.
      assertThat(r.detail()).isIn("connection reset", "error: Broken pipe", "closed without a response");
    }
  }

  @Test
  void anInterruptEndsAProbePromptly() throws Exception {
    try (SilentListener silent = SilentListener.start()) {
      AtomicReference<ProbeResult> result = new AtomicReference<>();
      Thread t = Thread.ofVirtual().start(() -> result.set(
          Probe.httpGet(silent.address(), "/").run(Duration.ofSeconds(60))));
      Poll.until(Duration.ofSeconds(5), "the probe connected", () -> silent.accepted() == 1);
      t.interrupt();
      Poll.until(Duration.ofSeconds(5), "the interrupted probe returned", () -> result.get() != null);
      assertThat(result.get()).extracting(ProbeResult::ok, ProbeResult::detail).containsExactly(false, "interrupted");
    }
  }

  @Test
  void badArgumentsAreNamedWithWhatWasExpected() {
    InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), 80);
    assertThatThrownBy(() -> Probe.httpGet(target, "healthcheck"))
        .hasMessage("path: healthcheck (expected: an absolute path of printable ASCII without spaces, such as "
            + "/healthcheck)");
    assertThatThrownBy(() -> Probe.httpGet(target, "/a b")).hasMessageStartingWith("path: /a b (expected:");
    assertThatThrownBy(() -> Probe.httpGet(target, "/", Optional.of("a\r\nX: y"), Set.of(200)))
        .hasMessageStartingWith("host: ");
    assertThatThrownBy(() -> Probe.httpGet(target, "/", Optional.empty(), Set.of()))
        .hasMessage("okStatus: [] (expected: a non-empty set of HTTP status codes 100-599)");
    assertThatThrownBy(() -> Probe.tcpConnect(InetSocketAddress.createUnresolved("lb7.example", 80)))
        .hasMessageStartingWith("target: lb7.example");
  }

  @Test
  void probesDescribeTheirTarget() throws Exception {
    InetSocketAddress v4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:0:0:0:7"), 80);
    assertThat(Probe.httpGet(v4, "/healthcheck")).hasToString("HTTP GET http://127.0.0.1:8080/healthcheck");
    assertThat(Probe.httpGet(v6, "/healthcheck")).hasToString("HTTP GET http://[2001:db8::7]:80/healthcheck");
    assertThat(Probe.tcpConnect(v4)).hasToString("TCP connect 127.0.0.1:8080");
  }
}
