package org.example.lb.l7.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transport failures HAProxy does not produce on demand, injected with small Unix-socket servers
 * named for the fault; everything else is covered against the real HAProxy.
 */
class CliTransportTest {
  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeServers() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  @Test
  void missingSocketIsAnIoErrorNotATimeout() {
    RuntimeSocket socket = RuntimeSocket.open(dir.resolve("absent.sock"));

    assertThatThrownBy(socket::showInfo)
        .isInstanceOfSatisfying(RuntimeIoException.class, e -> {
          assertThat(e.timedOut()).isFalse();
          assertThat(e.socket()).isEqualTo(dir.resolve("absent.sock"));
          assertThat(e.getMessage()).contains("absent.sock").contains("connecting or sending failed");
        });
  }

  @Test
  void serverThatNeverAnswersTimesOut() throws IOException {
    Path path = silentServer();
    RuntimeSocket socket = RuntimeSocket.open(path, Duration.ofMillis(300));

    assertThatThrownBy(socket::showInfo)
        .isInstanceOfSatisfying(RuntimeIoException.class, e -> {
          assertThat(e.timedOut()).isTrue();
          assertThat(e.getMessage()).contains("no complete reply within 300 ms");
        });
  }

  @Test
  void fullAcceptQueueIsRetriedUntilTheDeadline() throws IOException {
    Path path = dir.resolve("full.sock");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
        .bind(UnixDomainSocketAddress.of(path), 1); // never accepts
    toClose.add(server);
    for (int i = 0; i < 100; i++) { // fill the accept queue until connect(2) says EAGAIN
      SocketChannel filler = SocketChannel.open(StandardProtocolFamily.UNIX);
      toClose.add(filler);
      try {
        filler.configureBlocking(false);
        filler.connect(UnixDomainSocketAddress.of(path));
      } catch (java.net.SocketException e) {
        assertThat(CliTransport.acceptQueueFull(e)).as(e.getMessage()).isTrue();
        break;
      }
    }

    assertThatThrownBy(() -> RuntimeSocket.open(path, Duration.ofMillis(200)).showInfo())
        .isInstanceOfSatisfying(RuntimeIoException.class, e -> {
          assertThat(e.timedOut()).isTrue();
          assertThat(e.getMessage()).contains("accept queue full for 200 ms");
        });
  }

  @Test
  void replyIsReadUntilCloseEvenWithoutTheEndingBlankLine() throws IOException {
    Path path = answeringServer("\n[6]: Server deleted.\n");

    RuntimeSocket.open(path).delServer("be", "d1"); // no exception: success message, no blank line needed

    assertThat(RuntimeSocket.open(answeringServer("\n[6]: Server deleted.\n")).raw("del server be/d1"))
        .isEqualTo("[6]: Server deleted.\n");
  }

  @Test
  void connectionClosedWithoutAnyReplyIsAnIoError() throws IOException {
    Path path = answeringServer("");

    assertThatThrownBy(() -> RuntimeSocket.open(path).setServerState("be", "s1", ServerAdminState.READY))
        .isInstanceOfSatisfying(RuntimeIoException.class, e -> assertThat(e.getMessage()).contains("without a reply"));
  }

  @Test
  void requestIsOneLineWithTheSeverityPrefix() throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    Path path = answeringServer("\n\n", received);

    RuntimeSocket.open(path).setServerWeight("be", "s1", Weight.percent(25));

    assertThat(received.get()).isEqualTo("set severity-output number;set server be/s1 weight 25%\n");
  }

  @Test
  void invalidArgumentsAreRefusedBeforeConnecting() {
    RuntimeSocket socket = RuntimeSocket.open(dir.resolve("absent.sock"));

    assertThatThrownBy(() -> socket.setServerState("be;shutdown", "s1", ServerAdminState.MAINT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("backend: ");
    assertThatThrownBy(() -> socket.raw("show info\nshow stat"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: a single line");
    assertThatThrownBy(() -> socket.setServerMaxconn("be", "s1", -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxconn: -1");
    assertThatThrownBy(() -> RuntimeSocket.open(dir.resolve("x"), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("timeout: ");
  }

  /** Accepts connections and never writes nor closes them. */
  private Path silentServer() throws IOException {
    Path path = dir.resolve("silent.sock");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
    List<SocketChannel> held = new ArrayList<>();
    Thread acceptor = Thread.ofVirtual().start(() -> {
      try {
        while (true) {
          held.add(server.accept());
        }
      } catch (IOException e) {
        // closed
      }
    });
    toClose.add(() -> {
      server.close();
      acceptor.join();
      for (SocketChannel c : held) {
        c.close();
      }
      Files.deleteIfExists(path);
    });
    return path;
  }

  private Path answeringServer(String reply) throws IOException {
    return answeringServer(reply, new CompletableFuture<>());
  }

  /** Accepts one connection, reads the request line, writes {@code reply} and closes. */
  private Path answeringServer(String reply, CompletableFuture<String> received) throws IOException {
    Path path = Files.createTempFile(dir, "answer", ".sock");
    Files.delete(path);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
    Thread worker = Thread.ofVirtual().start(() -> {
      try (server; SocketChannel c = server.accept()) {
        ByteBuffer in = ByteBuffer.allocate(4096);
        StringBuilder request = new StringBuilder();
        while (request.indexOf("\n") < 0 && c.read(in) > 0) {
          in.flip();
          request.append(StandardCharsets.UTF_8.decode(in));
          in.clear();
        }
        received.complete(request.toString());
        c.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        received.completeExceptionally(e);
      }
    });
    toClose.add(() -> {
      server.close();
      worker.join();
    });
    return path;
  }
}
