package org.example.lb.l4.director;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.example.lb.common.cli.Closing;
import org.example.lb.common.config.Addresses;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigFileWatch;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.flags.SerialExecutor;
import org.example.lb.common.health.CheckScheduler;
import org.example.lb.common.health.ProbeResult;
import org.example.lb.common.metrics.AdminServer;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.l4.flow.FlowOutbox;
import org.example.lb.l4.flow.PeerFlows;
import org.example.lb.l4.forward.BackendSpec;
import org.example.lb.l4.forward.FlowSharing;
import org.example.lb.l4.forward.BackendState;
import org.example.lb.l4.forward.ForwardingState;
import org.example.lb.l4.forward.HashKey;
import org.example.lb.l4.forward.SchedulerKind;
import org.example.lb.l4.forward.ServiceSpec;
import org.example.lb.l4.forward.Worker;
import org.example.lb.l4.forward.WorkerSettings;
import org.example.lb.l4.forward.WorkerStats;
import org.example.lb.l4.health.Lb7Health;
import org.example.lb.l4.health.Lb7Status;
import org.example.lb.l4.health.Quorum;
import org.example.lb.l4.nativeio.NativeIoException;
import org.example.lb.l4.nativeio.RawSocket;
import org.example.lb.l4.nativeio.TunDevice;
import org.example.lb.common.cli.RunningService;
import org.example.lb.l4.sync.FlowSync;
import org.example.lb.l4.sync.SyncStatus;

/**
 * A running director ({@code l4-director run}): one {@link Worker} per TUN queue on its own platform thread, health
 * checks of every LB7, and the control plane that turns health and configuration into a new immutable
 * {@link ForwardingState}, built here (off the packet path) and published through one atomic reference the workers
 * read.
 *
 * <p>All control-plane state (health per LB7, the quorum, the running config) is confined to one
 * {@link SerialExecutor}. Reload (SIGHUP, or the config file changing on disk) re-reads the file: an invalid one is
 * reported in one line and the running config kept; the device and the worker count need a restart (said so), every
 * other field applies at once without losing a packet: workers keep running, flows keep their LB7 by name.
 */
public final class DirectorNode implements RunningService {
  private static final Logger LOG = Logger.getLogger(DirectorNode.class.getName());
  /** Flows each worker can queue for its peers between two sync sends. */
  static final int OUTBOX_CAPACITY = 16_384;
  /** How often the config file is read to see whether it changed. */
  static final Duration CONFIG_POLL = Duration.ofSeconds(1);

  private final Path configFile;
  private final Clock clock;
  private final SerialExecutor control = new SerialExecutor(Executors.newVirtualThreadPerTaskExecutor());
  private final AtomicReference<ForwardingState> state = new AtomicReference<>();
  private final Metrics metrics = new Metrics();
  private final Closing closing = new Closing();
  private final TunDevice tun;
  private final List<Worker> workers = new ArrayList<>();
  private final List<Thread> workerThreads = new ArrayList<>();
  private final List<RawSocket> sockets = new ArrayList<>();
  private final Metrics.Counter reloadsOk = metrics.counter("lb_director_reloads_total", "Config reloads applied");
  private final Metrics.Counter reloadsRejected =
      metrics.counter("lb_director_reloads_rejected_total", "Config reloads rejected (the running config was kept)");

  // Written on `control` only; volatile where status() reads them from other threads.
  private volatile DirectorConfig config;
  private volatile Optional<String> lastReload = Optional.empty();
  private volatile boolean serving = true;
  private volatile Lb7Health health;
  private Quorum quorum;
  private volatile DirectorStatus.QuorumStatus quorumStatus;

  private AdminServer admin;
  private ConfigFileWatch configWatch;
  private volatile FlowSync flowSync;

  private DirectorNode(Path configFile, DirectorConfig config, Clock clock, TunDevice tun) {
    this.configFile = configFile;
    this.config = config;
    this.clock = clock;
    this.tun = tun;
  }

  /**
   * Attaches to (or creates) the TUN device, opens the raw sockets, starts the health checks, the workers and the
   * admin endpoint.
   *
   * @throws IOException (one line) when the device, a socket or the admin port cannot be had
   */
  public static DirectorNode start(DirectorConfig config, Path configFile) throws IOException {
    return start(config, configFile, Clock.systemUTC());
  }

  static DirectorNode start(DirectorConfig config, Path configFile, Clock clock) throws IOException {
    if (!TunDevice.isAvailable()) {
      throw new IOException("TUN devices unavailable: " + TunDevice.unavailabilityCause().getMessage());
    }
    TunDevice tun;
    try {
      tun = TunDevice.open(config.device().name(), true, config.device().workers());
    } catch (NativeIoException e) {
      throw new IOException("cannot attach to TUN device " + config.device().name() + " with "
          + config.device().workers() + " queues (" + e.getMessage() + "); if it exists it must be multi-queue: "
          + "ip tuntap add dev " + config.device().name() + " mode tun multi_queue", e);
    }
    DirectorNode node = new DirectorNode(configFile, config, clock, tun);
    try {
      node.startUp();
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  private void startUp() throws IOException {
    DirectorConfig c = config;
    // Every LB7 starts as the checks start it; their changes then arrive on `control`, after the start below.
    BackendState first = c.healthCheck().startAllDown() ? BackendState.DOWN : BackendState.UP;
    Map<String, BackendState> initial = new LinkedHashMap<>();
    c.backends().forEach(b -> initial.put(b.name(), first));
    state.set(build(Optional.empty(), c, initial));
    long live = Quorum.liveWeight(initial, weights(c));
    quorum = c.healthCheck().startAllDown() ? Quorum.startingDown(c.quorum().weight(), c.quorum().hysteresis())
        : Quorum.startingAt(c.quorum().weight(), c.quorum().hysteresis(), live);
    quorum.update(live);
    publishQuorum();
    control.execute(() -> health = Lb7Health.start(c.healthCheck(), checkAddresses(c), clock, CheckScheduler.system(),
        control, this::onHealth));
    WorkerSettings settings = workerSettings(c);
    DirectorConfig.Sync sync = c.sync();
    Optional<PeerFlows> peerFlows = sync.enabled() ? Optional.of(PeerFlows.create(sync.capacity())) : Optional.empty();
    List<FlowOutbox> outboxes = new ArrayList<>();
    for (int i = 0; i < c.device().workers(); i++) {
      Optional<FlowOutbox> outbox = sync.enabled() ? Optional.of(FlowOutbox.create(OUTBOX_CAPACITY)) : Optional.empty();
      outbox.ifPresent(outboxes::add);
      FlowSharing sharing = new FlowSharing(outbox, peerFlows, sync.refresh());
      Optional<RawSocket> v4 = c.tunnel().ipv4Source().isPresent() ? Optional.of(open(() -> RawSocket.ipv4(RawSocket.IPPROTO_RAW))) : Optional.empty();
      Optional<RawSocket> v6 = c.tunnel().ipv6Source().isPresent() ? Optional.of(open(() -> RawSocket.ipv6(RawSocket.IPPROTO_RAW))) : Optional.empty();
      Worker worker = Worker.create(i, tun.queue(i), v4, v6, state::get, settings, System::nanoTime, sharing);
      workers.add(worker);
      workerThreads.add(Thread.ofPlatform().name("worker-" + i).daemon(false).start(worker));
    }
    if (sync.enabled()) {
      int port = sync.port();
      flowSync = FlowSync.start(new InetSocketAddress(sync.listenAddress().orElseThrow(), port),
          sync.peerAddresses().stream().map(a -> new InetSocketAddress(a, port)).toList(), outboxes,
          peerFlows.orElseThrow(), state::get, System::nanoTime, sync.interval(), sync.refresh());
      LOG.info("flow sync on " + sync.listen().orElseThrow() + " port " + port + " with " + sync.peers());
    }
    registerMetrics();
    admin = AdminServer.start(c.admin().port(), metrics, () -> AdminServer.json(status()));
    configWatch = ConfigFileWatch.start(configFile, CONFIG_POLL, () -> {
      LOG.info(configFile + " changed: reloading");
      reload();
    });
    LOG.info(c.node() + ": directing " + c.services().size() + " services to " + c.backends().size() + " LB7s with "
        + c.device().workers() + " workers on " + tun.name() + "; admin on 127.0.0.1:" + admin.port());
  }

  private interface SocketOpener {
    RawSocket open() throws NativeIoException;
  }

  private RawSocket open(SocketOpener opener) throws IOException {
    try {
      RawSocket s = opener.open();
      sockets.add(s);
      return s;
    } catch (NativeIoException e) {
      throw new IOException("cannot open a raw socket for the tunnel (" + e.getMessage() + "): the director needs "
          + "CAP_NET_RAW", e);
    }
  }

  static WorkerSettings workerSettings(DirectorConfig c) {
    DirectorConfig.Flows f = c.flows();
    return new WorkerSettings(f.capacity(), f.tcpIdle(), f.tcpClosingIdle(), f.udpIdle(), c.tunnel().mtu(),
        c.tunnel().ipv4(), c.tunnel().ipv6(), c.tunnel().icmpPerSecond());
  }

  /** The forwarding state for {@code c} with each LB7 in its health state (configured weight 0 = DRAINING). */
  static ForwardingState build(Optional<ForwardingState> previous, DirectorConfig c, Map<String, BackendState> health) {
    List<ServiceSpec> services = c.services().stream().map(s -> new ServiceSpec(s.address(),
        ServiceSpec.Protocol.valueOf(s.protocol().toUpperCase(java.util.Locale.ROOT)), s.port())).toList();
    List<BackendSpec> backends = c.backends().stream().map(b -> {
      BackendState h = health.getOrDefault(b.name(), BackendState.DOWN);
      BackendState effective = h == BackendState.UP && b.weight() == 0 ? BackendState.DRAINING : h;
      return new BackendSpec(b.name(), b.ipv4Address(), b.ipv6Address(), b.weight(), effective);
    }).toList();
    return ForwardingState.build(previous, SchedulerKind.parse(c.scheduling().scheduler()),
        HashKey.parse(c.scheduling().hashKey()), c.scheduling().tableSize(), services, backends);
  }

  // ---- control plane (on `control`) ----

  private void onHealth(String name, BackendState from, BackendState to, String detail) {
    if (closing.isBegun()) {
      return;
    }
    DirectorConfig c = config;
    Map<String, BackendState> all = healthStates(c);
    ForwardingState next = build(Optional.of(state.get()), c, all);
    state.set(next);
    LOG.info(name + ": " + from + " -> " + to + " (" + detail + "); " + share(next, name));
    updateQuorum(c, all);
  }

  private void updateQuorum(DirectorConfig c, Map<String, BackendState> all) {
    if (quorum.update(Quorum.liveWeight(all, weights(c)))) {
      LOG.warning("quorum " + (quorum.isUp() ? "UP" : "LOST") + ": live weight " + quorum.liveWeight()
          + ", quorum " + quorum.quorum() + (quorum.hysteresis() == 0 ? "" : " ± " + quorum.hysteresis()));
    }
    publishQuorum();
  }

  private void publishQuorum() {
    quorumStatus = new DirectorStatus.QuorumStatus(quorum.isUp(), quorum.liveWeight(), quorum.quorum(),
        quorum.hysteresis());
  }

  /** Each configured LB7's health state (DOWN for one not checked). */
  private Map<String, BackendState> healthStates(DirectorConfig c) {
    Map<String, BackendState> m = new LinkedHashMap<>();
    for (DirectorConfig.Lb7 b : c.backends()) {
      m.put(b.name(), health.state(b.name()).orElse(BackendState.DOWN));
    }
    return m;
  }

  private static Map<String, InetAddress> checkAddresses(DirectorConfig c) {
    Map<String, InetAddress> m = new LinkedHashMap<>();
    c.backends().forEach(b -> m.put(b.name(), b.checkAddress()));
    return m;
  }

  /** The weights the quorum counts: configured weight 0 (drained) counts 0. */
  private static Map<String, Integer> weights(DirectorConfig c) {
    Map<String, Integer> m = new LinkedHashMap<>();
    c.backends().forEach(b -> m.put(b.name(), b.weight()));
    return m;
  }

  private static String share(ForwardingState s, String name) {
    return String.format("%.1f%% of new flows", 100.0 * s.tableEntries(name) / s.tableSize());
  }

  /** Re-reads the config file (SIGHUP, or the file changed); an invalid one keeps the running config. */
  @Override
  public void reload() {
    control.execute(this::reloadNow);
  }

  private void reloadNow() {
    if (closing.isBegun()) {
      return;
    }
    DirectorConfig next;
    try {
      next = ConfigLoader.load(configFile, DirectorConfig.class);
    } catch (ConfigException e) {
      reject(e.getMessage());
      return;
    }
    DirectorConfig running = config;
    List<String> restart = new ArrayList<>();
    if (!next.device().equals(running.device())) {
      restart.add("device");
    }
    if (next.admin().port() != running.admin().port()) {
      restart.add("admin.port");
    }
    if (!next.tunnel().equals(running.tunnel())) {
      restart.add("tunnel");
    }
    if (!next.flows().equals(running.flows())) {
      restart.add("flows");
    }
    if (!next.healthCheck().equals(running.healthCheck())) {
      restart.add("healthCheck");
    }
    if (!next.sync().equals(running.sync())) {
      restart.add("sync");
    }
    if (!restart.isEmpty()) {
      reject("changing " + String.join(", ", restart) + " needs a restart of the director");
      return;
    }
    health.retarget(checkAddresses(next));
    Map<String, BackendState> states = healthStates(next);
    ForwardingState built;
    try {
      built = build(Optional.of(state.get()), next, states);
    } catch (IllegalArgumentException e) {
      health.retarget(checkAddresses(running));
      reject(e.getMessage());
      return;
    }
    config = next;
    state.set(built);
    if (next.quorum().weight() != running.quorum().weight()
        || next.quorum().hysteresis() != running.quorum().hysteresis()) {
      quorum = Quorum.startingAt(next.quorum().weight(), next.quorum().hysteresis(),
          Quorum.liveWeight(states, weights(next)));
    }
    updateQuorum(next, states);
    reloadsOk.increment();
    // Last: a reader that sees this outcome sees the config and state it describes.
    lastReload = Optional.of(clock.instant() + " applied: " + next.backends().size() + " LB7s, "
        + next.services().size() + " services, scheduler " + next.scheduling().scheduler());
    LOG.info("reloaded " + configFile + ": " + next.backends().size() + " LB7s, " + next.services().size()
        + " services, scheduler " + next.scheduling().scheduler());
  }

  private void reject(String why) {
    reloadsRejected.increment();
    lastReload = Optional.of(clock.instant() + " rejected, running config kept: " + why);
    LOG.warning("reload rejected, running config kept: " + why);
  }

  /** Polls the config file's content every {@link #CONFIG_POLL}; a change triggers {@link #reload()}. */
  // ---- status and metrics ----

  /** A snapshot for /status (any thread: reads volatile fields and the workers' racy counters). */
  public DirectorStatus status() {
    DirectorConfig c = config;
    ForwardingState s = state.get();
    List<WorkerStats> stats = workers.stream().map(Worker::stats).toList();
    Map<String, Long> flows = new TreeMap<>();
    Map<String, Long> drops = new TreeMap<>();
    List<DirectorStatus.WorkerStatus> ws = new ArrayList<>();
    for (int i = 0; i < stats.size(); i++) {
      WorkerStats w = stats.get(i);
      w.flowsPerBackend().forEach((k, v) -> flows.merge(k, v, Long::sum));
      w.drops().forEach((k, v) -> {
        if (v > 0) {
          drops.merge(k, v, Long::sum);
        }
      });
      ws.add(new DirectorStatus.WorkerStatus(i, w.received(), w.tunnelled(), w.icmpSent(), w.sendErrors(), w.flows(),
          w.peerHits()));
    }
    Map<String, Lb7Status> checked = health == null ? Map.of() : health.status();
    Map<String, BackendState> effective = new LinkedHashMap<>();
    s.backends().forEach(b -> effective.put(b.name(), b.state()));
    List<DirectorStatus.BackendStatus> backends = new ArrayList<>();
    for (DirectorConfig.Lb7 b : c.backends()) {
      List<String> addresses = new ArrayList<>();
      b.ipv4Address().map(Addresses::toText).ifPresent(addresses::add);
      b.ipv6Address().map(Addresses::toText).ifPresent(addresses::add);
      Optional<Lb7Status> d = Optional.ofNullable(checked.get(b.name()));
      backends.add(new DirectorStatus.BackendStatus(b.name(), addresses,
          effective.getOrDefault(b.name(), BackendState.DOWN).name(), b.weight(),
          (double) s.tableEntries(b.name()) / s.tableSize(), flows.getOrDefault(b.name(), 0L),
          d.flatMap(Lb7Status::http).map(DirectorNode::result).orElse("-"),
          d.flatMap(Lb7Status::tcp).map(DirectorNode::result).orElse("-"),
          d.map(x -> x.since().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()).orElse("-")));
    }
    List<String> services = c.services().stream().map(DirectorConfig.Service::describe).toList();
    return new DirectorStatus(c.node(), serving, c.scheduling().scheduler(), c.scheduling().hashKey(), s.tableSize(),
        quorumStatus, services, backends, ws, drops, lastReload, Optional.ofNullable(flowSync).map(FlowSync::status));
  }

  private static String result(ProbeResult r) {
    return (r.ok() ? "" : "FAIL ") + r.detail();
  }

  private void registerMetrics() {
    metrics.family("lb_director_packets_received_total", "Packets read from the TUN device", "counter",
        out -> eachWorker(out, "lb_director_packets_received_total", WorkerStats::received));
    metrics.family("lb_director_packets_tunnelled_total", "Packets sent to an LB7", "counter",
        out -> eachWorker(out, "lb_director_packets_tunnelled_total", WorkerStats::tunnelled));
    metrics.family("lb_director_icmp_too_big_total", "ICMP Packet Too Big messages sent back", "counter",
        out -> eachWorker(out, "lb_director_icmp_too_big_total", WorkerStats::icmpSent));
    metrics.family("lb_director_send_errors_total", "Failed sends to an LB7", "counter",
        out -> eachWorker(out, "lb_director_send_errors_total", WorkerStats::sendErrors));
    metrics.family("lb_director_drops_total", "Dropped packets by reason", "counter",
        out -> status().drops().forEach((reason, n) -> out.sample("lb_director_drops_total", List.of("reason", reason), n)));
    metrics.family("lb_director_backend_up", "1 if the LB7 is UP, 0.5 DRAINING, 0 DOWN", "gauge",
        out -> status().backends().forEach(b -> out.sample("lb_director_backend_up", List.of("backend", b.name()),
            switch (b.state()) {
              case "UP" -> 1.0;
              case "DRAINING" -> 0.5;
              default -> 0.0;
            })));
    metrics.family("lb_director_backend_flows", "Flows pinned to the LB7, over every worker", "gauge",
        out -> status().backends().forEach(b -> out.sample("lb_director_backend_flows", List.of("backend", b.name()), b.flows())));
    metrics.family("lb_director_backend_table_share", "The LB7's share of new flows (Maglev table entries / size)",
        "gauge", out -> status().backends().forEach(b -> out.sample("lb_director_backend_table_share",
            List.of("backend", b.name()), b.tableShare())));
    if (flowSync != null) {
      syncMetric("lb_director_sync_flows_offered_total", "Flows queued for the peers (new and refreshed)", "counter",
          SyncStatus::flowsOffered);
      syncMetric("lb_director_sync_flows_dropped_total", "Flows not sent: a worker's outbox was full", "counter",
          SyncStatus::flowsDropped);
      syncMetric("lb_director_sync_records_sent_total", "Flow records sent, summed over peers", "counter",
          SyncStatus::recordsSent);
      syncMetric("lb_director_sync_send_errors_total", "Sync datagrams that could not be sent", "counter",
          SyncStatus::sendErrors);
      syncMetric("lb_director_sync_records_received_total", "Flow records received from peers", "counter",
          SyncStatus::recordsReceived);
      metrics.family("lb_director_sync_dropped_total", "Sync datagrams or records dropped, by reason", "counter",
          out -> {
            SyncStatus st = flowSync.status();
            out.sample("lb_director_sync_dropped_total", List.of("reason", "not_from_peer"), st.notFromPeer());
            out.sample("lb_director_sync_dropped_total", List.of("reason", "malformed"), st.malformed());
            out.sample("lb_director_sync_dropped_total", List.of("reason", "unknown_backend"), st.unknownBackend());
            out.sample("lb_director_sync_dropped_total", List.of("reason", "table_full"), st.peerFlowsRejected());
          });
      syncMetric("lb_director_sync_peer_flows", "Peers' flows held", "gauge", SyncStatus::peerFlows);
      metrics.family("lb_director_sync_peer_hits_total",
          "Mid-flow packets of unknown flows sent to the LB7 a peer named", "counter",
          out -> eachWorker(out, "lb_director_sync_peer_hits_total", WorkerStats::peerHits));
    }
    metrics.gauge("lb_director_quorum_up", "1 while the weight of UP LB7s meets the quorum", () -> quorumStatus.up() ? 1 : 0);
    metrics.gauge("lb_director_serving", "1 until the director begins shutting down", () -> serving ? 1 : 0);
  }

  private void syncMetric(String name, String help, String type, java.util.function.ToLongFunction<SyncStatus> value) {
    metrics.family(name, help, type, out -> out.sample(name, List.of(), value.applyAsLong(flowSync.status())));
  }

  private void eachWorker(Metrics.Samples out, String name, java.util.function.ToLongFunction<WorkerStats> value) {
    for (int i = 0; i < workers.size(); i++) {
      out.sample(name, List.of("worker", Integer.toString(i)), value.applyAsLong(workers.get(i).stats()));
    }
  }

  /** Renders {@code /status} JSON as {@code l4-director status} prints it. */
  public static String render(String json) throws IOException {
    return StatusView.render(ConfigLoader.json().readValue(json, DirectorStatus.class));
  }

  // ---- shutdown ----

  /** Returns once {@link #close} has finished (SIGTERM/SIGINT in {@code l4-director run}). */
  @Override
  public void awaitShutdown() throws InterruptedException {
    closing.await();
  }

  /**
   * Stops: reports {@code serving: false} at once (the BGP speaker withdraws on it), keeps forwarding for
   * {@code shutdownGrace}, then stops the checks and workers and releases the device. Idempotent.
   */
  @Override
  public void close() {
    if (!closing.begin()) {
      return;
    }
    try {
      serving = false;
      Duration grace = config.shutdownGrace();
      if (!grace.isZero() && !workers.isEmpty()) {
        LOG.info("stopping: still forwarding for " + grace.toMillis() + " ms (shutdownGrace) while routes are withdrawn");
        try {
          Thread.sleep(grace);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (configWatch != null) {
        configWatch.close();
      }
      if (health != null) {
        health.close();
      }
      workers.forEach(Worker::stop);
      for (Thread t : workerThreads) {
        try {
          t.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (flowSync != null) {
        flowSync.close();
      }
      for (RawSocket s : sockets) {
        closeQuietly(s::close);
      }
      closeQuietly(tun::close);
      if (admin != null) {
        admin.close();
      }
      LOG.info("stopped");
    } finally {
      closing.finished();
    }
  }

  private interface Closer {
    void close() throws Exception;
  }

  private static void closeQuietly(Closer c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.fine("close: " + e);
    }
  }

  /** The Prometheus text of {@code /metrics}. */
  String scrape() {
    return metrics.scrape();
  }

  /** For tests: the state the workers read now. */
  ForwardingState forwardingState() {
    return state.get();
  }

  static String text(InetAddress a) {
    return Addresses.toText(a);
  }

  Instant now() {
    return clock.instant();
  }
}
