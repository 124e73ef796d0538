package org.example.lb.l7;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.NginxServer;
import org.example.lb.common.test.Poll;
import org.example.lb.l7.haproxy.HaproxyConfig;
import org.example.lb.l7.haproxy.HaproxyReload;
import org.example.lb.l7.runtime.ReloadOutcome;
import org.example.lb.l7.runtime.RuntimeApiException;
import org.example.lb.l7.runtime.RuntimeSocket;
import org.example.lb.l7.runtime.ServerAdminState;
import org.example.lb.l7.runtime.ServerState;
import org.example.lb.l7.runtime.StatRow;
import org.example.lb.l7.testing.HaproxyProcess;

/**
 * A whole L7 tier on 127.0.0.1, built from real parts in a test's directory:
 * <ul>
 *   <li>servers {@code s1..sN}: each a real {@link NginxServer} plus its agent ({@link AgentNode}, in-process, own
 *       port and own flag directory {@code <dir>/<name>/flags});
 *   <li>the load balancer node {@code lb}: its l7-agent YAML ({@code <dir>/lb/l7-agent.yaml}), the haproxy.cfg
 *       {@link HaproxyConfig} generates from it, the real HAProxy ({@link HaproxyProcess}) and, unless disabled,
 *       the {@link LoadBalancerNode} (controller, watches, the node's own agent) in-process.
 * </ul>
 * Flag files are written as an operator should: to a dot-file, then renamed.
 */
final class LoopbackTier implements AutoCloseable {
  static final long TEN_MEGABYTES = 10L * 1024 * 1024;

  /**
   * What to build.
   *
   * @param servers number of nginx servers
   * @param agentInterval HAProxy's agent-inter (the fallback the controller must beat)
   * @param drainTimeout the controller's drain deadline
   * @param downloadRate nginx limit_rate of /10M
   * @param controller whether to start the {@link LoadBalancerNode}
   * @param binary the haproxy binary in the l7-agent config (used by {@code haproxy -c} on reloads)
   * @param maxconn HAProxy's global maxconn, 0 for l7-agent's default
   */
  record Settings(int servers, Duration agentInterval, Duration drainTimeout, String downloadRate, boolean controller,
      Path binary, int maxconn) {
    static Settings defaults() {
      return new Settings(2, Duration.ofSeconds(10), Duration.ofSeconds(30), "2m", true, HaproxyProcess.binary(), 0);
    }

    Settings withServers(int n) {
      return new Settings(n, agentInterval, drainTimeout, downloadRate, controller, binary, maxconn);
    }

    Settings withAgentInterval(Duration d) {
      return new Settings(servers, d, drainTimeout, downloadRate, controller, binary, maxconn);
    }

    Settings withDrainTimeout(Duration d) {
      return new Settings(servers, agentInterval, d, downloadRate, controller, binary, maxconn);
    }

    Settings withDownloadRate(String rate) {
      return new Settings(servers, agentInterval, drainTimeout, rate, controller, binary, maxconn);
    }

    Settings withoutController() {
      return new Settings(servers, agentInterval, drainTimeout, downloadRate, false, binary, maxconn);
    }

    Settings withBinary(Path b) {
      return new Settings(servers, agentInterval, drainTimeout, downloadRate, controller, b, maxconn);
    }

    Settings withMaxconn(int m) {
      return new Settings(servers, agentInterval, drainTimeout, downloadRate, controller, binary, m);
    }
  }

  /** One backend server: nginx and its agent. */
  static final class Server {
    final String name;
    final Path dir;
    final NginxServer nginx;
    final int agentPort;
    final L7Config agentConfig;
    AgentNode agent;

    Server(String name, Path dir, NginxServer nginx, int agentPort) {
      this.name = name;
      this.dir = dir;
      this.nginx = nginx;
      this.agentPort = agentPort;
      this.agentConfig = new L7Config(name, dir.resolve("flags"), new L7Config.Agent("127.0.0.1", agentPort, null),
          null, Optional.empty());
    }

    Path flagFile() {
      return agentConfig.agentFile();
    }
  }

  private final Path dir;
  private final Path lbDir;
  private final Map<String, Server> servers = new LinkedHashMap<>();
  private final String tenMegabytesSha256;
  private Settings settings;
  private int frontendPort;
  private int statsPort;
  private int nodeAgentPort;
  private int adminPort;
  private Path configFile;
  private L7Config config;
  private HaproxyProcess haproxy;
  private LoadBalancerNode node;

  private LoopbackTier(Path dir, Settings settings, String tenMegabytesSha256) {
    this.dir = dir;
    this.lbDir = dir.resolve("lb");
    this.settings = settings;
    this.tenMegabytesSha256 = tenMegabytesSha256;
  }

  static LoopbackTier start(Path dir, Settings settings) throws IOException, InterruptedException {
    NginxServer.binary();
    HaproxyProcess.binary();
    Path www = Files.createDirectories(dir.resolve("www"));
    LoopbackTier tier = new LoopbackTier(dir, settings, writeTenMegabytes(www.resolve("10M")));
    try {
      tier.startAll();
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      tier.close();
      throw e;
    }
    return tier;
  }

  private void startAll() throws IOException, InterruptedException {
    for (int i = 1; i <= settings.servers(); i++) {
      addServer("s" + i);
    }
    Files.createDirectories(lbDir.resolve("flags"));
    configFile = lbDir.resolve("l7-agent.yaml");
    AssertionError bindFailure = null;
    for (int attempt = 0; attempt < 3 && haproxy == null; attempt++) {
      int[] ports = FreePorts.take(4);
      frontendPort = ports[0];
      statsPort = ports[1];
      nodeAgentPort = ports[2];
      adminPort = ports[3];
      config = writeConfig(settings);
      HaproxyConfig.write(config, configFile);
      try {
        haproxy = HaproxyProcess.start(config.haproxy().orElseThrow(), lbDir.resolve("haproxy.log"));
      } catch (AssertionError e) {
        if (!String.valueOf(e.getMessage()).contains("cannot bind")) {
          throw e;
        }
        bindFailure = e; // a port chosen was taken meanwhile: choose again
      }
    }
    if (haproxy == null) {
      throw bindFailure;
    }
    if (settings.controller()) {
      startController();
    }
    Poll.until(Duration.ofSeconds(15), "every server UP in HAProxy and /healthcheck 200", () -> {
      for (Server s : servers.values()) {
        if (!stat(s.name).status().startsWith("UP")) {
          return false;
        }
      }
      try {
        return get("/healthcheck").status() == 200;
      } catch (IOException e) {
        return false;
      }
    });
  }

  /** Writes the node's l7-agent YAML for {@code s} (same ports) and returns it as loaded. */
  L7Config writeConfig(Settings s) throws IOException {
    StringBuilder yaml = new StringBuilder();
    yaml.append("# l7-agent config of the test's load balancer node\n");
    yaml.append("node: lb\n");
    yaml.append("flagDirectory: \"").append(lbDir.resolve("flags")).append("\"\n");
    yaml.append("agent: {address: 127.0.0.1, port: ").append(nodeAgentPort).append("}\n");
    yaml.append("admin: {port: ").append(adminPort).append("}\n");
    yaml.append("haproxy:\n");
    yaml.append("  binary: \"").append(s.binary()).append("\"\n");
    yaml.append("  configFile: \"").append(lbDir.resolve("haproxy.cfg")).append("\"\n");
    yaml.append("  runDirectory: \"").append(lbDir.resolve("run")).append("\"\n");
    yaml.append("  binds: [127.0.0.1]\n");
    yaml.append("  port: ").append(frontendPort).append('\n');
    yaml.append("  statsPort: ").append(statsPort).append('\n');
    yaml.append("  checkInterval: 1s\n");
    yaml.append("  agentInterval: ").append(s.agentInterval().toMillis()).append("ms\n");
    yaml.append("  drainTimeout: ").append(s.drainTimeout().toMillis()).append("ms\n");
    if (s.maxconn() > 0) {
      yaml.append("  maxconn: ").append(s.maxconn()).append('\n');
    }
    yaml.append("  servers:\n");
    for (Server srv : servers.values()) {
      yaml.append("    - {name: ").append(srv.name).append(", address: 127.0.0.1, port: ").append(srv.nginx.port())
          .append(", agentPort: ").append(srv.agentPort).append("}\n");
    }
    Files.writeString(configFile, yaml);
    try {
      return ConfigLoader.load(configFile, L7Config.class);
    } catch (ConfigException e) {
      throw new IllegalStateException("the test wrote an invalid config: " + e.getMessage(), e);
    }
  }

  private static String writeTenMegabytes(Path file) throws IOException {
    var sha = RawHttp.sha256();
    SplittableRandom random = new SplittableRandom(42);
    byte[] chunk = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < TEN_MEGABYTES; written += chunk.length) {
        random.nextBytes(chunk);
        sha.update(chunk);
        out.write(chunk);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  // ---- parts ----

  Settings settings() {
    return settings;
  }

  L7Config config() {
    return config;
  }

  Path configFile() {
    return configFile;
  }

  Path lbDir() {
    return lbDir;
  }

  HaproxyProcess haproxy() {
    return haproxy;
  }

  RuntimeSocket runtime() {
    return haproxy.runtime();
  }

  Optional<LoadBalancerNode> node() {
    return Optional.ofNullable(node);
  }

  Server server(String name) {
    Server s = servers.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no server " + name);
    }
    return s;
  }

  List<String> serverNames() {
    return List.copyOf(servers.keySet());
  }

  int frontendPort() {
    return frontendPort;
  }

  int adminPort() {
    return adminPort;
  }

  int nodeAgentPort() {
    return nodeAgentPort;
  }

  String tenMegabytesSha256() {
    return tenMegabytesSha256;
  }

  // ---- actions ----

  /**
   * Starts one more server (nginx and agent) that the next {@link #writeConfig} lists; HAProxy and the controller
   * learn of it only by a reload.
   */
  void addServer(String name) throws IOException, InterruptedException {
    Path sdir = Files.createDirectories(dir.resolve(name));
    Files.createDirectories(sdir.resolve("flags"));
    NginxServer nginx = NginxServer.start(sdir, name, dir.resolve("www"), settings.downloadRate());
    servers.put(name, new Server(name, sdir, nginx, FreePorts.one()));
    startAgent(name);
  }

  /** Rewrites the YAML with the current servers and settings, then reloads like SIGHUP to {@code l7-agent run}. */
  void reloadNode() throws IOException {
    config = writeConfig(settings);
    node.reload();
  }

  void startController() throws IOException, InterruptedException {
    node = LoadBalancerNode.start(configFile, config);
    Poll.until(Duration.ofSeconds(10), "the controller watches every server's agent", () -> {
      for (Server s : servers.values()) {
        if (s.agent == null || s.agent.server().watchers() < 1) {
          return false;
        }
      }
      return true;
    });
  }

  void stopController() {
    if (node != null) {
      node.close();
      node = null;
    }
  }

  void startAgent(String name) throws IOException, InterruptedException {
    Server s = server(name);
    s.agent = AgentNode.startWithoutAdmin(s.agentConfig, new Metrics());
  }

  void stopAgent(String name) {
    Server s = server(name);
    if (s.agent != null) {
      s.agent.close();
      s.agent = null;
    }
  }

  /** Replaces a server's flag file atomically (dot-file, then rename). */
  void writeServerFlag(String name, String content) throws IOException {
    writeAtomically(server(name).flagFile(), content);
  }

  /** Replaces the load balancer node's own flag file atomically. */
  void writeNodeFlag(String content) throws IOException {
    writeAtomically(config.agentFile(), content);
  }

  static void writeAtomically(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Rewrites the YAML with {@code next} and reloads HAProxy the way {@code l7-agent reload} does. */
  ReloadOutcome reload(Settings next) throws IOException, ConfigException {
    L7Config c = writeConfig(next);
    ReloadOutcome outcome = HaproxyReload.reload(c, configFile, Duration.ofSeconds(15));
    settings = next;
    config = c;
    return outcome;
  }

  ReloadOutcome reload() throws IOException, ConfigException {
    return reload(settings);
  }

  // ---- observations ----

  /** The server's line of {@code show servers state servers}. */
  ServerState state(String name) {
    return runtime().showServersState(HaproxyConfig.SERVERS_BACKEND)
        .server(HaproxyConfig.SERVERS_BACKEND, name).orElseThrow();
  }

  ServerAdminState admin(String name) {
    return state(name).adminState().effective();
  }

  /** The node's own maintenance server ({@code node-maintenance/self}). */
  ServerState selfState() {
    return runtime().showServersState(HaproxyConfig.MAINTENANCE_BACKEND)
        .server(HaproxyConfig.MAINTENANCE_BACKEND, HaproxyConfig.SELF_SERVER).orElseThrow();
  }

  StatRow stat(String name) {
    return runtime().showStat().stream()
        .filter(r -> r.pxname().equals(HaproxyConfig.SERVERS_BACKEND) && r.svname().equals(name))
        .findFirst().orElseThrow();
  }

  /** Current sessions of a server, -1 if HAProxy does not answer. */
  long sessions(String name) {
    try {
      return stat(name).scur().orElse(0);
    } catch (RuntimeApiException e) {
      return -1;
    }
  }

  RawHttp.Response get(String path) throws IOException {
    return RawHttp.get(frontendPort, path);
  }

  /** What HAProxy, the l7-agent config and the node log show, for failure messages. */
  String describe() {
    StringBuilder b = new StringBuilder();
    try {
      b.append(runtime().showServersState().text());
    } catch (RuntimeApiException e) {
      b.append("(no show servers state: ").append(e.getMessage()).append(")\n");
    }
    b.append("--- haproxy log ---\n").append(haproxy == null ? "" : haproxy.log());
    return b.toString();
  }

  @Override
  public void close() {
    List<Runnable> steps = new ArrayList<>();
    steps.add(this::stopController);
    for (String name : servers.keySet()) {
      steps.add(() -> stopAgent(name));
    }
    steps.add(() -> {
      if (haproxy != null) {
        haproxy.close();
      }
    });
    for (Server s : servers.values()) {
      steps.add(s.nginx::close);
    }
    RuntimeException first = null;
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
