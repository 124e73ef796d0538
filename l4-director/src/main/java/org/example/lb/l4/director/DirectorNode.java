package org.example.lb.l4.director;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.example.lb.common.cli.Closing;
import org.example.lb.common.config.Addresses;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.flags.SerialExecutor;
import org.example.lb.common.metrics.AdminServer;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.l4.forward.BackendSpec;
import org.example.lb.l4.forward.BackendState;
import org.example.lb.l4.forward.ForwardingState;
import org.example.lb.l4.forward.HashKey;
import org.example.lb.l4.forward.SchedulerKind;
import org.example.lb.l4.forward.ServiceSpec;
import org.example.lb.l4.forward.Worker;
import org.example.lb.l4.forward.WorkerSettings;
import org.example.lb.l4.forward.WorkerStats;
import org.example.lb.l4.nativeio.NativeIoException;
import org.example.lb.l4.nativeio.RawSocket;
import org.example.lb.l4.nativeio.TunDevice;

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
public final class DirectorNode implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DirectorNode.class.getName());
  /** How often the config file's modification time and size are looked at. */
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
  private final Lb7Checks checks;
  private final Metrics.Counter reloadsOk = metrics.counter("lb_director_reloads_total", "Config reloads applied");
  private final Metrics.Counter reloadsRejected =
      metrics.counter("lb_director_reloads_rejected_total", "Config reloads rejected (the running config was kept)");

  // Confined to `control`.
  private DirectorConfig config;
  private Optional<String> lastReload = Optional.empty();
  private volatile boolean serving = true;
  private volatile DirectorStatus.QuorumStatus quorum;

  private AdminServer admin;
  private Thread configWatch;

  private DirectorNode(Path configFile, DirectorConfig config, Clock clock, TunDevice tun) {
    this.configFile = configFile;
    this.config = config;
    this.clock = clock;
    this.tun = tun;
    this.checks = new Lb7Checks(clock, (name, health) -> control.execute(() -> onHealth(name, health)));
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
    Map<String, BackendState> initial = checks.apply(c);
    state.set(build(Optional.empty(), c, initial));
    quorum = Quorums.evaluate(c, initial, Optional.empty());
    WorkerSettings settings = workerSettings(c);
    for (int i = 0; i < c.device().workers(); i++) {
      Optional<RawSocket> v4 = c.tunnel().ipv4Source().isPresent() ? Optional.of(open(RawSocket::ipv4Raw)) : Optional.empty();
      Optional<RawSocket> v6 = c.tunnel().ipv6Source().isPresent() ? Optional.of(open(RawSocket::ipv6Raw)) : Optional.empty();
      Worker worker = Worker.create(i, tun.queue(i), v4, v6, state::get, settings, System::nanoTime);
      workers.add(worker);
      workerThreads.add(Thread.ofPlatform().name("worker-" + i).daemon(false).start(worker));
    }
    registerMetrics();
    admin = AdminServer.start(c.admin().port(), metrics, () -> AdminServer.json(status()));
    configWatch = Thread.ofVirtual().name("config-watch").start(this::watchConfig);
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

  private void onHealth(String name, BackendState health) {
    if (!serving && closing.isBegun()) {
      return;
    }
    DirectorConfig c = config;
    Map<String, BackendState> all = checks.states();
    ForwardingState next = build(Optional.of(state.get()), c, all);
    state.set(next);
    DirectorStatus.QuorumStatus before = quorum;
    quorum = Quorums.evaluate(c, all, Optional.of(before));
    LOG.info(name + " is " + health + " (" + checks.detail(name) + "); " + share(next, name));
    if (before.up() != quorum.up()) {
      LOG.warning("quorum " + (quorum.up() ? "UP" : "LOST") + ": live weight " + quorum.liveWeight() + ", quorum "
          + quorum.weight() + (quorum.hysteresis() == 0 ? "" : " ± " + quorum.hysteresis()));
    }
  }

  private static String share(ForwardingState s, String name) {
    return String.format("%.1f%% of new flows", 100.0 * s.tableEntries(name) / s.tableSize());
  }

  /** Re-reads the config file (SIGHUP, or the file changed); an invalid one keeps the running config. */
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
    if (!next.tunnel().equals(running.tunnel()) || !next.flows().equals(running.flows())) {
      restart.add(next.tunnel().equals(running.tunnel()) ? "flows" : "tunnel");
    }
    if (!restart.isEmpty()) {
      reject("changing " + String.join(", ", restart) + " needs a restart of the director");
      return;
    }
    ForwardingState built;
    try {
      Map<String, BackendState> health = checks.apply(next);
      built = build(Optional.of(state.get()), next, health);
      quorum = Quorums.evaluate(next, health, Optional.of(quorum));
    } catch (IllegalArgumentException e) {
      reject(e.getMessage());
      return;
    }
    config = next;
    state.set(built);
    reloadsOk.increment();
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

  /** Polls the config file's modification time and size; a change triggers {@link #reload()}. */
  private void watchConfig() {
    Object seen = fingerprint();
    while (!closing.isBegun()) {
      try {
        Thread.sleep(CONFIG_POLL);
      } catch (InterruptedException e) {
        return;
      }
      Object now = fingerprint();
      if (!Objects.equals(now, seen)) {
        seen = now;
        LOG.info(configFile + " changed: reloading");
        reload();
      }
    }
  }

  private Object fingerprint() {
    try {
      FileTime modified = Files.getLastModifiedTime(configFile);
      return List.of(modified, Files.size(configFile));
    } catch (IOException e) {
      return "missing";
    }
  }

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
      w.flowsPerBackend().forEach((k, v) -> flows.merge(k, (long) v, Long::sum));
      w.drops().forEach((k, v) -> {
        if (v > 0) {
          drops.merge(k, v, Long::sum);
        }
      });
      ws.add(new DirectorStatus.WorkerStatus(i, w.received(), w.tunnelled(), w.icmpSent(), w.sendErrors(), w.flows()));
    }
    Map<String, BackendState> effective = new LinkedHashMap<>();
    s.backends().forEach(b -> effective.put(b.name(), b.state()));
    List<DirectorStatus.BackendStatus> backends = new ArrayList<>();
    for (DirectorConfig.Lb7 b : c.backends()) {
      List<String> addresses = new ArrayList<>();
      b.ipv4Address().map(Addresses::toText).ifPresent(addresses::add);
      b.ipv6Address().map(Addresses::toText).ifPresent(addresses::add);
      Lb7Checks.Detail d = checks.detail(b.name());
      backends.add(new DirectorStatus.BackendStatus(b.name(), addresses,
          effective.getOrDefault(b.name(), BackendState.DOWN).name(), b.weight(),
          (double) s.tableEntries(b.name()) / s.tableSize(), flows.getOrDefault(b.name(), 0L), d.http(), d.tcp(),
          d.since().toString()));
    }
    List<String> services = c.services().stream().map(DirectorConfig.Service::describe).toList();
    return new DirectorStatus(c.node(), serving, c.scheduling().scheduler(), c.scheduling().hashKey(), s.tableSize(),
        quorum, services, backends, ws, drops, lastReload);
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
    metrics.gauge("lb_director_quorum_up", "1 while the weight of UP LB7s meets the quorum", () -> quorum.up() ? 1 : 0);
    metrics.gauge("lb_director_serving", "1 until the director begins shutting down", () -> serving ? 1 : 0);
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
        configWatch.interrupt();
      }
      checks.close();
      workers.forEach(Worker::stop);
      for (Thread t : workerThreads) {
        try {
          t.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
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
