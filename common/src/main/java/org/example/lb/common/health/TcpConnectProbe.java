package org.example.lb.common.health;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;

/** Passes when a TCP connection completes within the timeout. */
final class TcpConnectProbe implements Probe {
  private final InetSocketAddress target;

  TcpConnectProbe(InetSocketAddress target) {
    this.target = checkedTarget(target);
  }

  static InetSocketAddress checkedTarget(InetSocketAddress target) {
    Objects.requireNonNull(target, "target");
    if (target.isUnresolved()) {
      throw new IllegalArgumentException("target: " + target + " (expected: an IP address literal and a port)");
    }
    return target;
  }

  @Override
  public ProbeResult run(Duration timeout) {
    long start = System.nanoTime();
    try (Socket socket = open(target, timeout, start + timeout.toNanos())) {
      return ProbeResult.passed("connected", since(start));
    } catch (ProbeFailure f) {
      return ProbeResult.failed(f.detail(), since(start));
    } catch (IOException e) {
      return ProbeResult.passed("connected", since(start)); // only closing failed
    }
  }

  /** Connects within what is left of the budget, or fails with the reason as detail. */
  static Socket open(InetSocketAddress target, Duration timeout, long deadlineNanos) throws ProbeFailure {
    Socket socket = new Socket();
    try {
      socket.connect(target, remainingMillis(deadlineNanos, timeout, "connect timeout after "));
      return socket;
    } catch (IOException e) {
      closeQuietly(socket);
      if (Thread.currentThread().isInterrupted()) {
        throw new ProbeFailure("interrupted");
      }
      if (e instanceof SocketTimeoutException) {
        throw new ProbeFailure("connect timeout after " + DurationText.of(timeout));
      }
      if (e instanceof NoRouteToHostException) {
        throw new ProbeFailure("no route to host");
      }
      if (e instanceof ConnectException && e.getMessage() != null && e.getMessage().contains("refused")) {
        throw new ProbeFailure("connect refused");
      }
      if (e.getMessage() != null && e.getMessage().contains("reset")) {
        throw new ProbeFailure("connection reset"); // accepted, then reset before the connect was seen complete
      }
      throw new ProbeFailure("connect failed: " + message(e));
    } catch (ProbeFailure f) {
      closeQuietly(socket);
      throw f;
    }
  }

  /** Milliseconds left before the deadline (at least 1), or a timeout failure. */
  static int remainingMillis(long deadlineNanos, Duration timeout, String failurePrefix) throws ProbeFailure {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new ProbeFailure(failurePrefix + DurationText.of(timeout));
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000));
  }

  static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  static String message(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing was sent that could be lost
    }
  }

  @Override
  public String toString() {
    return "TCP connect " + HttpGetProbe.authority(target);
  }
}
