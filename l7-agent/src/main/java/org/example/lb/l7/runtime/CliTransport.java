package org.example.lb.l7.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.example.lb.common.config.Validation;

/**
 * One request line on a fresh Unix-socket connection, then end of input (like {@code socat}), and
 * the reply read until HAProxy closes the connection (non-interactive mode; the 2.6 master CLI
 * waits for the end of input before it closes). No reliance on the blank line that usually ends a reply:
 * HAProxy 2.6 omits it after some messages (e.g. {@code del server}). Each call owns its
 * connection, so one instance may be used from any number of threads.
 */
final class CliTransport {
  /** Replies larger than this are refused rather than buffered (a full "show stat" is far smaller). */
  static final int MAX_REPLY_BYTES = 64 << 20;

  private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Path socket;
  private final Duration timeout;

  CliTransport(Path socket, Duration timeout) {
    this.socket = Validation.required("socket", socket);
    this.timeout = Validation.positive("timeout", timeout);
  }

  Path socket() {
    return socket;
  }

  Duration timeout() {
    return timeout;
  }

  /**
   * Sends {@code line} plus a newline and returns everything HAProxy wrote until it closed the
   * connection. With {@code resetIsEndOfReply}, a connection reset after the request was written
   * ends the reply instead of failing (the master closes its CLI abruptly when it re-executes).
   */
  String exchange(String line, boolean resetIsEndOfReply) {
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("command: " + line.strip() + " (expected: a single line)");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    ByteBuffer request = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream reply = new ByteArrayOutputStream(4096);
    boolean written = false;
    try (SocketChannel channel = connect(deadline);
        Selector selector = Selector.open()) {
      boolean connected = channel.isConnected();
      SelectionKey key = channel.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT);
      ByteBuffer in = ByteBuffer.allocate(16384);
      while (true) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw timeout(written, reply.size());
        }
        if (Thread.currentThread().isInterrupted()) {
          throw new RuntimeIoException(socket, "interrupted", false, null);
        }
        int ready = selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining))) > 0 ? key.readyOps() : 0;
        selector.selectedKeys().clear();
        if ((ready & SelectionKey.OP_CONNECT) != 0 && channel.finishConnect()) {
          key.interestOps(SelectionKey.OP_WRITE);
          continue;
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
          channel.write(request);
          if (!request.hasRemaining()) {
            written = true;
            // End of input: the stats socket closes after its reply anyway, the master CLI only then.
            channel.shutdownOutput();
            key.interestOps(SelectionKey.OP_READ);
          }
        }
        if ((ready & SelectionKey.OP_READ) != 0) {
          int n;
          while ((n = channel.read(in)) > 0) {
            reply.write(in.array(), 0, in.position());
            in.clear();
            if (reply.size() > MAX_REPLY_BYTES) {
              throw new RuntimeIoException(socket, "reply to \"" + line + "\" exceeds " + MAX_REPLY_BYTES + " bytes",
                  false, null);
            }
          }
          if (n < 0) {
            return reply.toString(StandardCharsets.UTF_8);
          }
        }
      }
    } catch (IOException e) {
      if (written && resetIsEndOfReply) {
        return reply.toString(StandardCharsets.UTF_8);
      }
      String what = written ? "reading the reply" : "connecting or sending";
      throw new RuntimeIoException(socket, what + " failed: " + e, false, e);
    }
  }

  /**
   * A non-blocking channel, connected or with its connect pending. A full accept queue (EAGAIN:
   * HAProxy's CLI accepts {@code stats maxconn} connections, 10 by default) is retried with
   * backoff until the deadline; other connect errors (no such file, refused) fail at once.
   */
  private SocketChannel connect(long deadline) throws IOException {
    long backoff = MIN_BACKOFF_NANOS;
    while (true) {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        channel.configureBlocking(false);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return channel;
      } catch (SocketException e) {
        channel.close();
        if (!acceptQueueFull(e)) {
          throw e;
        }
        if (deadline - System.nanoTime() <= backoff) {
          throw new RuntimeIoException(socket, "accept queue full for " + timeout.toMillis() + " ms (" + e.getMessage()
              + "); too many concurrent CLI clients for stats maxconn?", true, e);
        }
        LockSupport.parkNanos(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    }
  }

  /** EAGAIN from connect(2) on a Unix socket; the JDK reports it only by its strerror text. */
  static boolean acceptQueueFull(SocketException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return m.contains("temporarily unavailable") || m.contains("try again");
  }

  private RuntimeIoException timeout(boolean written, int received) {
    String state = !written ? "before the command was sent" : "after " + received + " reply bytes";
    return new RuntimeIoException(socket, "no complete reply within " + timeout.toMillis() + " ms (" + state + ")",
        true, null);
  }
}
