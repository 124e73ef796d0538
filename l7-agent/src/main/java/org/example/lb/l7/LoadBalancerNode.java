package org.example.lb.l7;

import org.example.lb.common.cli.Closing;
import org.example.lb.common.cli.ProcessSignals;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.metrics.AdminServer;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.l7.agent.AgentCheckServer;
import org.example.lb.l7.agent.AgentWatch;
import org.example.lb.l7.control.Controller;
import org.example.lb.l7.haproxy.HaproxyConfig;
import org.example.lb.l7.haproxy.HaproxyReload;
import org.example.lb.l7.runtime.RuntimeApiException;
import org.example.lb.l7.runtime.RuntimeSocket;
import org.example.lb.l7.runtime.ServerState;
import org.example.lb.l7.runtime.StatRow;
import org.example.lb.common.cli.RunningService;

/**
 * Everything {@code l7-agent run} does on a load balancer node: serves the node's own agent-check (its maintenance
 * flag), watches every server's agent, and lets the {@link Controller} push each change into HAProxy at once.
 * SIGHUP reloads: the config file is re-read (an invalid one is reported and the running state kept), HAProxy is
 * reloaded through {@link HaproxyReload}, and watches follow the new server list. Signals are the command's
 * business ({@link ProcessSignals}): starting a node in-process installs no handler.
 */
final class LoadBalancerNode implements RunningService {
  private static final Logger LOG = Logger.getLogger(LoadBalancerNode.class.getName());
  private static final Duration RUNTIME_TIMEOUT = Duration.ofSeconds(2);

  private final Path configFile;
  private final Metrics metrics;
  private final AgentNode self;
  private final Controller.Key selfKey = new Controller.Key(HaproxyConfig.MAINTENANCE_BACKEND, HaproxyConfig.SELF_SERVER);
  private final Closing closing = new Closing();
  private volatile L7Config config;
  private volatile Controller controller;
  private volatile List<Watched> watches = List.of();
  private AgentCheckServer.Subscription selfReports;
  private AdminServer admin;

  private record Watched(Controller.Key key, AgentWatch watch) {}

  private LoadBalancerNode(Path configFile, L7Config config, Metrics metrics, AgentNode self) {
    this.configFile = configFile;
    this.config = config;
    this.metrics = metrics;
    this.self = self;
  }

  static LoadBalancerNode start(Path configFile, L7Config config) throws IOException, InterruptedException {
    Metrics metrics = new Metrics();
    AgentNode self = AgentNode.startWithoutAdmin(config, metrics);
    LoadBalancerNode node = new LoadBalancerNode(configFile, config, metrics, self);
    node.controller = node.newController(config);
    node.selfReports = self.server().subscribe(reply -> node.controller.report(node.selfKey, reply));
    node.watches = node.watchServers(config);
    metrics.family("lb_agent_watch_connects_total", "Connections made to each server's agent (watch protocol)",
        "counter", out -> node.watches.forEach(w -> out.sample("lb_agent_watch_connects_total",
            List.of("server", w.key().server()), w.watch().connects())));
    metrics.family("lb_agent_watch_dropped_lines_total", "Lines from a server's agent dropped as invalid or too long",
        "counter", out -> node.watches.forEach(w -> out.sample("lb_agent_watch_dropped_lines_total",
            List.of("server", w.key().server()), w.watch().droppedLines())));
    metrics.family("lb_agent_watch_reachable", "1 while the watch connection to a server's agent is up", "gauge",
        out -> node.watches.forEach(w -> out.sample("lb_agent_watch_reachable",
            List.of("server", w.key().server()), w.watch().status() instanceof AgentWatch.Status.Reachable ? 1 : 0)));
    node.admin = AdminServer.start(config.admin().port(), metrics, node::statusJson);
    LOG.info("controlling HAProxy through " + config.haproxy().orElseThrow().statsSocket()
        + "; admin endpoint on 127.0.0.1:" + node.admin.port());
    return node;
  }

  private Controller newController(L7Config c) {
    L7Config.Haproxy h = c.haproxy().orElseThrow();
    List<Controller.Key> servers = h.servers().stream()
        .map(s -> new Controller.Key(HaproxyConfig.SERVERS_BACKEND, s.name())).toList();
    return Controller.create(RuntimeSocket.open(h.statsSocket(), RUNTIME_TIMEOUT), servers, Optional.of(selfKey),
        h.drainTimeout(), h.agentInterval(), metrics);
  }

  private List<Watched> watchServers(L7Config c) {
    List<Watched> list = new ArrayList<>();
    for (L7Config.Server s : c.haproxy().orElseThrow().servers()) {
      Controller.Key key = new Controller.Key(HaproxyConfig.SERVERS_BACKEND, s.name());
      AgentWatch watch = AgentWatch.start(
          AgentWatch.Settings.of(new InetSocketAddress(s.inetAddress(), s.agentPort())),
          Executors.newVirtualThreadPerTaskExecutor(),
          status -> {
            switch (status) {
              case AgentWatch.Status.Reachable(var reply) -> controller.report(key, reply);
              case AgentWatch.Status.Unreachable(var reason) ->
                  LOG.info(key + ": agent unreachable (" + reason + "); HAProxy keeps its last state");
            }
          });
      list.add(new Watched(key, watch));
    }
    return List.copyOf(list);
  }

  /** Re-reads the config and reloads HAProxy; on any error the running config and state stay. */
  @Override
  public synchronized void reload() {
    L7Config next;
    try {
      next = ConfigLoader.load(configFile, L7Config.class);
      if (next.haproxy().isEmpty()) {
        throw new ConfigException(configFile, 0, "haproxy: missing (expected: a haproxy section on a load balancer node)");
      }
    } catch (ConfigException e) {
      LOG.severe("reload refused, running config kept: " + e.getMessage());
      return;
    }
    try {
      HaproxyReload.reload(next, configFile, Duration.ofSeconds(10));
    } catch (ConfigException e) {
      LOG.severe("reload refused: " + e.getMessage());
      return;
    } catch (IOException | RuntimeException e) {
      LOG.severe("reload failed: " + e.getMessage());
      return;
    }
    L7Config.Haproxy was = config.haproxy().orElseThrow();
    L7Config.Haproxy now = next.haproxy().orElseThrow();
    if (!now.servers().equals(was.servers()) || !now.drainTimeout().equals(was.drainTimeout())
        || !now.agentInterval().equals(was.agentInterval()) || !now.statsSocket().equals(was.statsSocket())) {
      List<Watched> old = watches;
      Controller oldController = controller;
      controller = newController(next);
      watches = watchServers(next);
      old.forEach(w -> w.watch().close());
      oldController.close();
      selfReports.close();
      selfReports = self.server().subscribe(reply -> controller.report(selfKey, reply)); // tells the new one at once
    }
    config = next;
    controller.reconcileNow();
  }

  private String statusJson() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("agent", self.status());
    Map<String, Object> servers = new LinkedHashMap<>();
    Map<Controller.Key, Controller.TargetStatus> byKey = new LinkedHashMap<>();
    controller.snapshot().forEach(t -> byKey.put(t.key(), t));
    for (Watched w : watches) {
      Map<String, Object> one = new LinkedHashMap<>();
      Controller.TargetStatus t = byKey.get(w.key());
      one.put("agent", switch (w.watch().status()) {
        case AgentWatch.Status.Reachable(var reply) -> reply.encode().strip();
        case AgentWatch.Status.Unreachable(var reason) -> "unreachable: " + reason;
      });
      if (t != null) {
        one.put("draining", t.draining());
        one.put("pending", t.pending());
        one.put("lastError", t.lastError());
      }
      servers.put(w.key().server(), one);
    }
    s.put("servers", servers);
    addHaproxyView(servers);
    Controller.TargetStatus selfStatus = byKey.get(selfKey);
    if (selfStatus != null) {
      s.put("maintenance", Map.of("pending", selfStatus.pending(), "lastError", selfStatus.lastError()));
    }
    return AdminServer.json(s);
  }

  /**
   * Adds what HAProxy itself shows for each server (its operational and administrative state, weight, current
   * sessions and last check), so the status puts the agent's word and HAProxy's state side by side.
   */
  @SuppressWarnings("unchecked")
  private void addHaproxyView(Map<String, Object> servers) {
    RuntimeSocket runtime = RuntimeSocket.open(config.haproxy().orElseThrow().statsSocket(), RUNTIME_TIMEOUT);
    try {
      Map<String, StatRow> stats = new HashMap<>();
      runtime.showStat().stream().filter(r -> r.pxname().equals(HaproxyConfig.SERVERS_BACKEND))
          .forEach(r -> stats.put(r.svname(), r));
      for (ServerState st : runtime.showServersState(HaproxyConfig.SERVERS_BACKEND).servers()) {
        Object entry = servers.get(st.serverName());
        if (!(entry instanceof Map<?, ?>)) {
          continue;
        }
        Map<String, Object> haproxy = new LinkedHashMap<>();
        haproxy.put("state", st.operationalState().name());
        haproxy.put("admin", st.adminState().effective().name());
        haproxy.put("weight", st.userWeight());
        StatRow row = stats.get(st.serverName());
        if (row != null) {
          haproxy.put("sessions", row.scur().orElse(0));
          haproxy.put("status", row.status());
          row.checkStatus().ifPresent(c -> haproxy.put("check", c));
        }
        ((Map<String, Object>) entry).put("haproxy", haproxy);
      }
    } catch (RuntimeApiException e) {
      servers.values().forEach(v -> ((Map<String, Object>) v).put("haproxy", Map.of("error", e.getMessage())));
    }
  }

  @Override
  public void awaitShutdown() throws InterruptedException {
    closing.await();
  }

  @Override
  public void close() {
    if (!closing.begin()) {
      return;
    }
    if (admin != null) {
      admin.close();
    }
    watches.forEach(w -> w.watch().close());
    controller.close();
    self.close();
    closing.finished();
  }
}
