package org.example.lb.l7;

import org.example.lb.common.cli.Closing;
import org.example.lb.common.cli.ProcessSignals;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.example.lb.common.metrics.AdminServer;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.l7.agent.AgentCheckServer;
import org.example.lb.l7.agent.AgentFlagFile;
import org.example.lb.l7.agent.AgentReply;
import org.example.lb.common.cli.RunningService;

/**
 * A node's agent-check service: its flag file followed by an {@link AgentCheckServer}.
 *
 * <p>The server starts listening only once the flag file has given a valid state (or is absent, meaning
 * {@link AgentReply#DEFAULT}). While the file is invalid at start-up, nothing listens, so HAProxy keeps the state
 * it last applied instead of being told "up" by a freshly restarted agent.
 */
final class AgentNode implements RunningService {
  private static final Logger LOG = Logger.getLogger(AgentNode.class.getName());
  private static final Duration RESCAN = Duration.ofSeconds(1);

  private final L7Config config;
  private final Metrics metrics;
  private final AgentFlagFile flagFile;
  private final AgentCheckServer server;
  private final Closing closing = new Closing();
  private AdminServer admin;

  /** Hands replies to the server once it exists; remembers the latest before that. */
  private static final class Latest implements Consumer<AgentReply> {
    private final CountDownLatch first = new CountDownLatch(1);
    private AgentReply reply;
    private AgentCheckServer server;

    @Override
    public synchronized void accept(AgentReply r) {
      reply = r;
      if (server != null) {
        server.set(r);
      }
      first.countDown();
    }

    synchronized AgentReply reply() {
      return reply;
    }

    synchronized void attach(AgentCheckServer s) {
      server = s;
      s.set(reply);
    }
  }

  private AgentNode(L7Config config, Metrics metrics, AgentFlagFile flagFile, AgentCheckServer server) {
    this.config = config;
    this.metrics = metrics;
    this.flagFile = flagFile;
    this.server = server;
  }

  /** Starts the agent of a server node, with its own admin endpoint. */
  static AgentNode start(L7Config config) throws IOException, InterruptedException {
    AgentNode node = startWithoutAdmin(config, new Metrics());
    node.admin = AdminServer.start(config.admin().port(), node.metrics, node::statusJson);
    LOG.info("admin endpoint on 127.0.0.1:" + node.admin.port() + " (/metrics, /status)");
    return node;
  }

  /** Starts flag file and server; the caller owns the admin endpoint (load balancer nodes add theirs). */
  static AgentNode startWithoutAdmin(L7Config config, Metrics metrics) throws IOException, InterruptedException {
    Latest latest = new Latest();
    AgentFlagFile flagFile = AgentFlagFile.watch(config.flagDirectory(), config.agent().file(), RESCAN, latest, metrics);
    if (!latest.first.await(3, TimeUnit.SECONDS)) {
      LOG.severe("not serving agent-check until " + config.agentFile() + " is valid: "
          + flagFile.problem().orElse("no state read yet"));
      latest.first.await();
    }
    AgentCheckServer server;
    try {
      server = AgentCheckServer.start(
          AgentCheckServer.Settings.of(config.agent().inetAddress(), config.agent().port()), latest.reply(), metrics);
    } catch (IOException e) {
      flagFile.close();
      throw new IOException("cannot listen for agent checks on " + config.agent().address() + " port "
          + config.agent().port() + ": " + e.getMessage(), e);
    }
    latest.attach(server);
    LOG.info("agent-check on " + server.address() + " serving " + config.agentFile() + ": "
        + server.current().encode().strip());
    return new AgentNode(config, metrics, flagFile, server);
  }

  AgentCheckServer server() {
    return server;
  }

  InetSocketAddress address() {
    return server.address();
  }

  /** This node's part of a status document. */
  Map<String, Object> status() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("node", config.node());
    s.put("flagFile", config.agentFile().toString());
    s.put("reply", server.current().encode().strip());
    s.put("problem", flagFile.problem().orElse(""));
    s.put("watchers", server.watchers());
    return s;
  }

  private String statusJson() {
    return AdminServer.json(Map.of("agent", status()));
  }

  /** Returns once {@link #close} was called (by {@link ProcessSignals} on SIGTERM in {@code l7-agent agent}). */
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
    flagFile.close();
    server.close();
    closing.finished();
  }
}
