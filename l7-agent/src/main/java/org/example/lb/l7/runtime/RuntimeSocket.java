package org.example.lb.l7.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Typed client for HAProxy 2.6's runtime API on a Unix stats socket (needs {@code level admin} for
 * the {@code set}/{@code add}/{@code del} commands). Every call opens its own connection, sends
 * {@code set severity-output number;<command>} in non-interactive mode and reads until HAProxy
 * closes the connection, so an instance is safe to share between threads and keeps no state.
 *
 * <p>Failures are {@link RuntimeApiException}s: {@link RuntimeCommandException} when HAProxy
 * rejects a command (with a {@link RuntimeCommandException.Kind}), {@link RuntimeIoException} when
 * the socket cannot be used or the deadline passes, {@link RuntimeReplyException} when a reply does
 * not parse. Names and arguments are validated before anything is sent
 * ({@link IllegalArgumentException}).
 */
public interface RuntimeSocket {
  /** Deadline of one call (connect, send, read until close) unless given: 2 s. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /** A client for the socket at {@code unixSocket} with the default timeout. Does not connect yet. */
  static RuntimeSocket open(Path unixSocket) {
    return open(unixSocket, DEFAULT_TIMEOUT);
  }

  /** A client whose every call must complete within {@code timeout}. Does not connect yet. */
  static RuntimeSocket open(Path unixSocket, Duration timeout) {
    return new UnixRuntimeSocket(new CliTransport(unixSocket, timeout));
  }

  /** The socket this client talks to. */
  Path path();

  /** {@code show stat}: every frontend, backend, server and listener line. */
  List<StatRow> showStat();

  /** {@code show servers state}: all backends. */
  ServersState showServersState();

  /** {@code show servers state <backend>}; {@link RuntimeCommandException.Kind#NO_SUCH_BACKEND} if unknown. */
  ServersState showServersState(String backend);

  /** {@code show info} of the process behind the socket. */
  Info showInfo();

  /** {@code set server <backend>/<server> state ready|drain|maint}. */
  void setServerState(String backend, String server, ServerAdminState state);

  /** {@code set server <backend>/<server> weight <n>[%]}. */
  void setServerWeight(String backend, String server, Weight weight);

  /** {@code set server <backend>/<server> agent up|down}; the server needs an enabled agent check. */
  void setServerAgent(String backend, String server, AgentState state);

  /** {@code set server <backend>/<server> health up|stopping|down}; not for tracking servers. */
  void setServerHealth(String backend, String server, HealthState state);

  /** {@code set maxconn server <backend>/<server> <maxconn>}; 0 means no limit. */
  void setServerMaxconn(String backend, String server, int maxconn);

  /** {@code enable agent <backend>/<server>}. */
  void enableAgent(String backend, String server);

  /** {@code disable agent <backend>/<server>}: agent results stop changing weight and state. */
  void disableAgent(String backend, String server);

  /** {@code enable health <backend>/<server>}. */
  void enableHealth(String backend, String server);

  /** {@code disable health <backend>/<server>}. */
  void disableHealth(String backend, String server);

  /**
   * {@code add server <backend>/<server> <address> <options...>}. The backend must use a dynamic
   * algorithm (roundrobin, leastconn, first, random, consistent hashing). The new server starts in
   * maintenance with checks disabled: follow with {@link #setServerState} READY and
   * {@link #enableHealth} / {@link #enableAgent} if it has checks.
   *
   * @param address {@code ip:port} as HAProxy takes it (IPv6: {@code ipv6@2001:db8::1:80} or
   *     {@code [2001:db8::1]:80})
   * @param options server keywords and their values, one argument each, e.g. {@code check},
   *     {@code inter}, {@code 200ms}, {@code weight}, {@code 10}
   */
  void addServer(String backend, String server, String address, List<String> options);

  /** {@code del server <backend>/<server>}; the server must be in maintenance with no connections. */
  void delServer(String backend, String server);

  /**
   * Sends one command line as is (after the severity prefix) and returns its reply text without the
   * empty line that ends it ({@code ""} for commands that print nothing). A {@code ;} separates
   * commands, as on the CLI; only the first reply's error is detected.
   */
  String raw(String command);
}
