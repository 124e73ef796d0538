package org.example.lb.lab.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.example.lb.lab.load.ConnectionResult.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpExchangeTest {
  private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
  private final byte[] payload = payload(200_000);
  private FaultyHttpServer server;

  private static byte[] payload(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private ConnectionResult exchange(Kind kind, int port, Duration idle) {
    LoadSettings settings = new LoadSettings(List.of(LOCAL), List.of(LOCAL), 1, 100L * 1024 * 1024, 1,
        Duration.ZERO, Duration.ofSeconds(2), idle, "www.example.org");
    return new HttpExchange(settings, payload, port).run(1, kind, LOCAL, LOCAL);
  }

  private ConnectionResult exchange(Kind kind, FaultyHttpServer.Behaviour behaviour) throws IOException {
    server = new FaultyHttpServer(behaviour);
    return exchange(kind, server.port(), Duration.ofSeconds(5));
  }

  @Test
  void aWholeDownloadCompletesWithWhoServedIt() throws IOException {
    ConnectionResult r = exchange(Kind.DOWNLOAD, (s, out) -> {
      out.write(FaultyHttpServer.head(200, payload.length, "LB7-2/S4"));
      out.write(payload);
    });
    assertThat(r.failure()).isEmpty();
    assertThat(r.bytes()).isEqualTo(payload.length);
    assertThat(r.balancer()).contains("LB7-2");
    assertThat(r.server()).contains("S4");
  }

  @Test
  void aDownloadCutShortIsAShortBody() throws IOException {
    ConnectionResult r = exchange(Kind.DOWNLOAD, (s, out) -> {
      out.write(FaultyHttpServer.head(200, payload.length, "LB7-1/S1"));
      out.write(payload, 0, 1000);
    });
    assertThat(r.failure()).contains(FailureReason.SHORT_BODY);
    assertThat(r.bytes()).isEqualTo(1000);
    assertThat(r.servedBy()).contains("LB7-1/S1");
  }

  @Test
  void oneChangedByteIsBadContentNamingTheOffset() throws IOException {
    byte[] changed = payload.clone();
    changed[123_456] ^= 1;
    ConnectionResult r = exchange(Kind.DOWNLOAD, (s, out) -> {
      out.write(FaultyHttpServer.head(200, changed.length, "LB7-1/S1"));
      out.write(changed);
    });
    assertThat(r.failure()).contains(FailureReason.BAD_CONTENT);
    assertThat(r.detail()).isEqualTo("byte 123456 differs");
  }

  @Test
  void aResetAfterTheHeadersIsAReset() throws IOException {
    ConnectionResult r = exchange(Kind.DOWNLOAD, (s, out) -> {
      out.write(FaultyHttpServer.head(200, payload.length, "LB7-3/S2"));
      out.write(payload, 0, 10_000);
      out.flush();
      s.setSoLinger(true, 0); // close with RST
    });
    assertThat(r.failure()).hasValueSatisfying(f -> assertThat(f).isIn(FailureReason.RESET, FailureReason.SHORT_BODY));
    assertThat(r.servedBy()).contains("LB7-3/S2");
  }

  @Test
  void aStatusOtherThan200IsCountedAsSuch() throws IOException {
    ConnectionResult r = exchange(Kind.REQUEST, (s, out) -> {
      byte[] body = "no server\n".getBytes(StandardCharsets.US_ASCII);
      out.write(FaultyHttpServer.head(503, body.length, "LB7-1/<NOSRV>"));
      out.write(body);
    });
    assertThat(r.failure()).contains(FailureReason.HTTP_STATUS);
    assertThat(r.detail()).isEqualTo("status 503");
  }

  @Test
  void aRequestMustNameTheServerThatAnswered() throws IOException {
    ConnectionResult ok = exchange(Kind.REQUEST, (s, out) -> {
      out.write(FaultyHttpServer.head(200, 3, "LB7-1/S2"));
      out.write("S2\n".getBytes(StandardCharsets.US_ASCII));
    });
    assertThat(ok.failure()).isEmpty();
    server.behave((s, out) -> {
      out.write(FaultyHttpServer.head(200, 3, "LB7-1/S2"));
      out.write("S5\n".getBytes(StandardCharsets.US_ASCII));
    });
    ConnectionResult wrong = exchange(Kind.REQUEST, server.port(), Duration.ofSeconds(5));
    assertThat(wrong.failure()).contains(FailureReason.BAD_CONTENT);
    assertThat(wrong.detail()).isEqualTo("body \"S5\" from S2");
    server.behave((s, out) -> {
      out.write(FaultyHttpServer.head(200, 3, null));
      out.write("S2\n".getBytes(StandardCharsets.US_ASCII));
    });
    assertThat(exchange(Kind.REQUEST, server.port(), Duration.ofSeconds(5)).detail())
        .isEqualTo("no x-served-by header naming the server");
  }

  @Test
  void aClosedPortIsRefused() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, LOCAL)) {
      port = s.getLocalPort();
    }
    ConnectionResult r = exchange(Kind.REQUEST, port, Duration.ofSeconds(5));
    assertThat(r.failure()).contains(FailureReason.REFUSED);
    assertThat(r.servedBy()).isEmpty();
  }

  @Test
  void silenceBeyondTheIdleTimeoutIsATimeout() throws IOException {
    server = new FaultyHttpServer((s, out) -> {
      out.write(FaultyHttpServer.head(200, payload.length, "LB7-1/S1"));
      out.flush();
      try {
        s.getInputStream().read(); // until the client gives up
      } catch (IOException e) {
        // expected
      }
    });
    ConnectionResult r = exchange(Kind.DOWNLOAD, server.port(), Duration.ofMillis(300));
    assertThat(r.failure()).contains(FailureReason.TIMEOUT);
    assertThat(r.servedBy()).contains("LB7-1/S1");
  }

  @Test
  void headersAreParsedCaseInsensitivelyAndAGarbageStatusLineIsRejected() throws IOException {
    HttpExchange.Head h = HttpExchange.Head.parse("HTTP/1.1 200 OK\r\ncontent-LENGTH: 42\r\nx-served-by: LB7-4/S5", 7);
    assertThat(h.status()).isEqualTo(200);
    assertThat(h.contentLength()).isEqualTo(42);
    assertThat(h.servedBy()).isEqualTo(Optional.of("LB7-4/S5"));
    assertThat(h.leftoverBytes()).isEqualTo(7);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpExchange.Head.parse("SSH-2.0-OpenSSH", 0))
        .isInstanceOf(IOException.class).hasMessageContaining("not an HTTP/1.x status line");
    assertThat(Arrays.asList(FailureReason.values())).extracting(FailureReason::key)
        .contains("reset", "timeout", "short_body", "bad_content");
  }
}
