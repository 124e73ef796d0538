package org.example.lb.common.health;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One check of one target, blocking. Implementations never throw: an unreachable target, a reset, a timeout or a
 * garbage answer is a {@linkplain ProbeResult#failed failed result}. Run them on virtual threads; an interrupt ends
 * a probe promptly with a failed result ({@code interrupted}).
 */
@FunctionalInterface
public interface Probe {
  /**
   * Probes the target once, taking about {@code timeout} at most (connect and answer together).
   *
   * @param timeout the whole probe's budget, positive
   */
  ProbeResult run(Duration timeout);

  /**
   * keepalived's {@code TCP_CHECK}, gdnsd's {@code tcp_connect}: passes when a TCP connection to {@code target}
   * completes within the timeout; the connection is closed at once.
   *
   * @param target an address and port (a literal: never resolved)
   */
  static Probe tcpConnect(InetSocketAddress target) {
    return new TcpConnectProbe(target);
  }

  /**
   * keepalived's {@code HTTP_GET}, gdnsd's {@code http_status}, with the {@code Host} header defaulting to the
   * target's address and passing on status 200 only: see {@link #httpGet(InetSocketAddress, String, Optional, Set)}.
   */
  static Probe httpGet(InetSocketAddress target, String path) {
    return new HttpGetProbe(target, path, Optional.empty(), Set.of(200));
  }

  /**
   * Connects to {@code target}, sends {@code GET path HTTP/1.0} with a {@code Host} header and reads the status line;
   * passes when its code is one of {@code okStatus}. The body is not read. Detail: {@code HTTP <code>}, or why there
   * was no status (connect refused, timeout, connection reset, closed without a response, bad status line).
   *
   * @param target an address and port (a literal: never resolved)
   * @param path an absolute path such as {@code /healthcheck}, printable ASCII without spaces
   * @param host the {@code Host} header; empty: the target's address (IPv6 in brackets), with {@code :port} unless
   *     the port is 80
   * @param okStatus the status codes that pass (100-599), not empty; keepalived's and gdnsd's default is {200}
   * @throws IllegalArgumentException on a bad path, host or status set, or an unresolved target
   */
  static Probe httpGet(InetSocketAddress target, String path, Optional<String> host, Set<Integer> okStatus) {
    return new HttpGetProbe(target, path, host, okStatus);
  }
}
