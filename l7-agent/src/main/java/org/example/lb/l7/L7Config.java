package org.example.lb.l7;

import static org.example.lb.common.config.Validation.invalid;
import static org.example.lb.common.config.Validation.nonBlank;
import static org.example.lb.common.config.Validation.positive;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.example.lb.common.config.Validation;

/**
 * The l7-agent configuration of one node (YAML, read by {@link org.example.lb.common.config.ConfigLoader}).
 * Validation messages of a nested record name its own fields ({@code port}); the loader prefixes the path
 * ({@code haproxy.servers[1].port}) and the line.
 * A server node has no {@code haproxy} section and runs the agent-check server only; a load balancer
 * node (LB7) has one and also runs the controller of its HAProxy.
 *
 * @param node this node's name, as HAProxy and the lab know it
 * @param flagDirectory directory of maintenance flag files; default {@code /etc/lb}
 * @param agent the agent-check server; defaults below
 * @param admin the local admin endpoint (metrics, status)
 * @param haproxy the HAProxy this agent controls, absent on server nodes
 */
public record L7Config(String node, Path flagDirectory, Agent agent, Admin admin, Optional<Haproxy> haproxy) {
  public L7Config {
    nonBlank("node", node);
    flagDirectory = flagDirectory == null ? Path.of("/etc/lb") : flagDirectory;
    agent = agent == null ? new Agent(null, 0, null) : agent;
    admin = admin == null ? new Admin(0) : admin;
    haproxy = haproxy == null ? Optional.empty() : haproxy;
    if (haproxy.flatMap(Haproxy::servedBy).isPresent() && !node.matches("[A-Za-z0-9._:-]+")) {
      throw invalid("node", "\"" + node + "\"",
          "letters, digits, '.', '_', ':' or '-' only while haproxy.servedByHeader is set (it goes into the header)");
    }
  }

  /** The flag file this node's agent-check reply is read from. */
  public Path agentFile() {
    return flagDirectory.resolve(agent.file());
  }

  /**
   * The agent-check server.
   *
   * @param address where it listens; default {@code ::} (all addresses, IPv4 included)
   * @param port default 5555
   * @param file flag file name inside {@code flagDirectory}; default {@code agent-check}
   */
  public record Agent(String address, int port, String file) {
    public Agent {
      address = address == null ? "::" : address;
      Validation.ipLiteral("address", address);
      port = port == 0 ? 5555 : Validation.port("port", port);
      file = file == null ? "agent-check" : file;
      if (file.isBlank() || file.contains("/") || file.startsWith(".")) {
        throw invalid("file", file, "a file name inside flagDirectory, without '/'");
      }
    }

    public InetAddress inetAddress() {
      return Validation.ipLiteral("address", address);
    }
  }

  /**
   * The admin endpoint, always on 127.0.0.1.
   *
   * @param port default 9100
   */
  public record Admin(int port) {
    public Admin {
      port = port == 0 ? 9100 : Validation.port("port", port);
    }
  }

  /**
   * The HAProxy of a load balancer node.
   *
   * @param configFile where the generated haproxy.cfg is written
   * @param runDirectory holds the stats socket ({@code admin.sock}), the master socket ({@code master.sock}) and
   *     the server-state file ({@code server-state})
   * @param binds addresses the frontend listens on (the VIPs and the node's own addresses)
   * @param port frontend port; default 80
   * @param statsPort HAProxy's own Prometheus exporter and stats page on 127.0.0.1; default 8404
   * @param servers the backend servers
   * @param checkInterval health check interval (GET /healthcheck); default 1s
   * @param agentInterval agent-check interval; default 2s
   * @param drainTimeout how long the drain workflow waits for a server's sessions to end before MAINT; default 30s
   * @param hardStopAfter how long an old worker may keep serving after a reload; default 5m
   * @param binary the haproxy executable, used to check a new config before a reload; default /usr/sbin/haproxy
   * @param maxconn HAProxy's global maxconn; default 4000. HAProxy needs about two file descriptors per connection
   *     and refuses to start when the open-files hard limit cannot hold them (containers often cap it at 20000)
   * @param servedByHeader when set, every response gets this header with {@code NODE/SERVER} (the node's name and
   *     the server that answered, empty when none did), HAProxy's own error responses included, so a client can tell
   *     which path served it; default none
   */
  public record Haproxy(
      Path binary,
      Path configFile,
      Path runDirectory,
      List<String> binds,
      int port,
      int statsPort,
      List<Server> servers,
      Duration checkInterval,
      Duration agentInterval,
      Duration drainTimeout,
      Duration hardStopAfter,
      int maxconn,
      String servedByHeader) {
    public Haproxy {
      if (servedByHeader != null && !servedByHeader.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
        throw invalid("servedByHeader", "\"" + servedByHeader + "\"", "an HTTP header name (RFC 9110 token)");
      }
      maxconn = maxconn == 0 ? 4000 : Validation.range("maxconn", maxconn, 1, 1_000_000);
      binary = binary == null ? Path.of("/usr/sbin/haproxy") : binary;
      Validation.required("configFile", configFile);
      Validation.required("runDirectory", runDirectory);
      if (!runDirectory.toString().matches("[^\\s#'\"\\\\]+")) {
        throw invalid("runDirectory", "\"" + runDirectory + "\"",
            "a path without spaces, #, quotes or backslashes: haproxy.cfg names its sockets and state file unquoted");
      }
      // sockaddr_un holds 108 bytes including the terminating NUL; the longest socket name here is "master.sock".
      int socketPathBytes = runDirectory.toAbsolutePath().resolve("master.sock").toString()
          .getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (socketPathBytes > 107) {
        throw invalid("runDirectory", "\"" + runDirectory + "\"",
            "a path short enough for Unix sockets (" + socketPathBytes + " bytes with /master.sock, at most 107)");
      }
      if (binds == null || binds.isEmpty()) {
        throw invalid("binds", binds, "a non-empty list of IP address literals");
      }
      for (int i = 0; i < binds.size(); i++) {
        Validation.ipLiteral("binds[" + i + "]", binds.get(i));
      }
      binds = List.copyOf(binds);
      port = port == 0 ? 80 : Validation.port("port", port);
      statsPort = statsPort == 0 ? 8404 : Validation.port("statsPort", statsPort);
      if (servers == null || servers.isEmpty()) {
        throw invalid("servers", servers, "a non-empty list of servers");
      }
      Set<String> names = new HashSet<>();
      for (Server s : servers) {
        if (!names.add(s.name())) {
          throw invalid("servers", s.name(), "unique server names");
        }
      }
      servers = List.copyOf(servers);
      checkInterval = checkInterval == null ? Duration.ofSeconds(1) : timer("checkInterval", checkInterval);
      agentInterval = agentInterval == null ? Duration.ofSeconds(2) : timer("agentInterval", agentInterval);
      drainTimeout = drainTimeout == null ? Duration.ofSeconds(30) : positive("drainTimeout", drainTimeout);
      hardStopAfter = hardStopAfter == null ? Duration.ofMinutes(5) : timer("hardStopAfter", hardStopAfter);
    }

    /** HAProxy keeps timers as milliseconds in a signed 32-bit int and rejects longer ones ("timer overflow"). */
    public static final Duration LONGEST_TIMER = Duration.ofMillis(Integer.MAX_VALUE);

    /** A duration written into haproxy.cfg: positive and no longer than {@link #LONGEST_TIMER}. */
    private static Duration timer(String field, Duration value) {
      positive(field, value);
      if (value.compareTo(LONGEST_TIMER) > 0) {
        throw invalid(field, value.toMillis() + "ms", "at most " + LONGEST_TIMER.toMillis()
            + "ms (~24.8 days), HAProxy's longest timer");
      }
      return value;
    }

    /** The header naming the node and server that answered, if configured. */
    public Optional<String> servedBy() {
      return Optional.ofNullable(servedByHeader);
    }

    public Path statsSocket() {
      return runDirectory.resolve("admin.sock");
    }

    public Path masterSocket() {
      return runDirectory.resolve("master.sock");
    }

    public Path serverStateFile() {
      return runDirectory.resolve("server-state");
    }

    public Optional<Server> server(String name) {
      return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }
  }

  /**
   * A backend server.
   *
   * @param name HAProxy server name (letters, digits, '-', '_', '.')
   * @param address IP literal
   * @param port default 80
   * @param agentPort port of the server's agent-check; default 5555
   * @param weight HAProxy weight 0-256; default 100
   */
  public record Server(String name, String address, int port, int agentPort, Integer weight) {
    public Server {
      nonBlank("name", name);
      if (!name.matches("[A-Za-z0-9_.-]+")) {
        throw invalid("name", name, "letters, digits, '-', '_' or '.'");
      }
      Validation.ipLiteral("address", address);
      port = port == 0 ? 80 : Validation.port("port", port);
      agentPort = agentPort == 0 ? 5555 : Validation.port("agentPort", agentPort);
      weight = weight == null ? 100 : Validation.range("weight", weight, 0, 256);
    }

    public InetAddress inetAddress() {
      return Validation.ipLiteral("address", address);
    }
  }
}
