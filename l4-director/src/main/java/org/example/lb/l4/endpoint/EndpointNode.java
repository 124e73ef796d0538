package org.example.lb.l4.endpoint;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.config.Addresses;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.metrics.AdminServer;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.l4.nativeio.Errno;
import org.example.lb.l4.nativeio.NativeIoException;
import org.example.lb.l4.nativeio.RawSocket;
import org.example.lb.l4.nativeio.TunDevice;
import org.example.lb.l4.packet.DropCounters;
import org.example.lb.l4.packet.Verdict;
import org.example.lb.l4.tunnel.Decapsulator;
import org.example.lb.l4.tunnel.VipSet;
import org.example.lb.common.cli.RunningService;

/**
 * Everything {@code tunnel-endpoint run} does on an LB7: attaches to (or creates) the TUN device, checks the IPv4
 * reverse-path filter, opens raw sockets for the four tunnel kinds the host supports (IPv4 outer with protocol 4 and
 * 41, IPv6 outer with next header 41 and 4), runs the {@link DecapsulationWorker} on a platform thread and serves
 * {@code /metrics} and {@code /status} on 127.0.0.1.
 *
 * <p>Network objects are created in the network namespace of the thread calling {@link #start}. Signals are the
 * command's business: starting a node in-process installs no handler. {@link #reloadConfig()} re-reads the config file:
 * new VIPs and directors take effect atomically for the next packet; an invalid file keeps the running
 * configuration (one log line says why); fields that need new sockets or devices (node, device, admin,
 * receiveBufferBytes, relaxReversePathFilter) are reported and keep their running values until a restart.
 */
final class EndpointNode implements RunningService {
  private static final Logger LOG = Logger.getLogger(EndpointNode.class.getName());
  /** Where the kernel lists the calling thread's network namespace's interfaces. */
  private static final Path NET_DEV = Path.of("/proc/thread-self/net/dev");

  /** The tunnel kinds, in socket order: outer family and protocol. */
  private record Kind(boolean ipv6, int protocol) {
    String label() {
      return (ipv6 ? "ipv6/" : "ipv4/") + protocol;
    }

    String describe() {
      String inner = protocol == RawSocket.IPPROTO_IPIP ? "IPv4" : "IPv6";
      return inner + " in " + (ipv6 ? "IPv6" : "IPv4");
    }
  }

  private static final List<Kind> KINDS = List.of(
      new Kind(false, RawSocket.IPPROTO_IPIP), new Kind(false, RawSocket.IPPROTO_IPV6),
      new Kind(true, RawSocket.IPPROTO_IPV6), new Kind(true, RawSocket.IPPROTO_IPIP));

  private record Socket(Kind kind, RawSocket socket, int receiveBufferBytes) {}

  private final Path configFile;
  private final EndpointConfig started;
  private final TunDevice tun;
  private final boolean deviceCreated;
  private final String reversePathFilter;
  private final List<Socket> sockets;
  private final DecapsulationWorker worker;
  private final Thread thread;
  private final Metrics metrics = new Metrics();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicLong reloadsApplied = new AtomicLong();
  private final AtomicLong reloadsRefused = new AtomicLong();
  private volatile EndpointConfig config;
  private volatile String lastRefusal = "";
  private volatile Instant lastReload;
  private AdminServer admin;
  private boolean closed;

  private EndpointNode(Path configFile, EndpointConfig config, TunDevice tun, boolean deviceCreated,
      String reversePathFilter, List<Socket> sockets, DecapsulationWorker worker) {
    this.configFile = configFile;
    this.started = config;
    this.config = config;
    this.tun = tun;
    this.deviceCreated = deviceCreated;
    this.reversePathFilter = reversePathFilter;
    this.sockets = List.copyOf(sockets);
    this.worker = worker;
    this.thread = Thread.ofPlatform().name("tunnel-endpoint " + tun.name()).unstarted(worker);
  }

  /**
   * Starts the endpoint for {@code config} (read from {@code configFile}, which {@link #reloadConfig()} re-reads).
   *
   * @throws ServiceMain.UserError when the host refuses what the operator must fix: strict reverse-path filtering,
   *     a device of another kind or in use
   * @throws IOException when a device, socket or the admin port cannot be opened
   */
  static EndpointNode start(Path configFile, EndpointConfig config) throws IOException {
    boolean existed = interfaceExists(config.device());
    TunDevice tun = openDevice(config.device(), existed);
    List<Socket> sockets = new ArrayList<>();
    EndpointNode node = null;
    try {
      if (!existed) {
        LOG.warning("created TUN device " + tun.name() + ": it is down and disappears when the endpoint stops; "
            + "the operator must bring it up (ip link set " + tun.name() + " up), or better create it persistent "
            + "beforehand (ip tuntap add dev " + tun.name() + " mode tun) with its MTU and rp_filter");
      }
      String rpf = ReversePathFilter.of(ReversePathFilter.SYSCTLS, tun.name(), hasIpv4Address(tun.name()))
          .check(config.relaxReversePathFilter());
      for (Kind kind : KINDS) {
        openSocket(kind, config.receiveBufferBytes()).ifPresent(sockets::add);
      }
      if (sockets.isEmpty()) {
        throw new IOException("no raw socket could be opened for any tunnel kind");
      }
      DecapsulationWorker worker = new DecapsulationWorker(sockets.stream().map(Socket::socket).toList(), tun,
          decapsulator(config));
      node = new EndpointNode(configFile, config, tun, !existed, rpf, sockets, worker);
      node.registerMetrics();
      node.admin = AdminServer.start(config.admin().port(), node.metrics, node::statusJson);
      node.thread.start();
      LOG.info("tunnel endpoint " + config.node() + ": " + sockets.stream()
          .map(s -> s.kind().describe()).toList() + " from " + describeDirectors(config) + " to "
          + config.vips() + " via " + tun.name() + "; " + rpf + "; admin endpoint on 127.0.0.1:" + node.admin.port());
      if (config.directors().isEmpty()) {
        LOG.warning("no directors configured: tunnel packets from any source are accepted (labs only)");
      }
      return node;
    } catch (IOException | RuntimeException | Error e) {
      if (node != null) {
        node.close();
      } else {
        sockets.forEach(s -> closeQuietly(s.socket()));
        closeQuietly(tun);
      }
      throw e;
    }
  }

  private static TunDevice openDevice(String name, boolean existed) throws NativeIoException {
    try {
      return TunDevice.open(name, false, 1);
    } catch (NativeIoException e) {
      if (existed && e.errno().equals(Errno.EINVAL)) {
        throw new ServiceMain.UserError("cannot attach to " + name + ": " + e.getMessage()
            + "; it must be a single-queue TUN device (ip tuntap add dev " + name + " mode tun)");
      }
      if (e.errno().equals(Errno.EBUSY)) {
        throw new ServiceMain.UserError("cannot attach to " + name + ": " + e.getMessage()
            + "; another process holds it (is another tunnel-endpoint running?)");
      }
      throw e;
    }
  }

  private static Optional<Socket> openSocket(Kind kind, int receiveBufferBytes) throws NativeIoException {
    RawSocket socket;
    try {
      socket = kind.ipv6() ? RawSocket.ipv6(kind.protocol()) : RawSocket.ipv4(kind.protocol());
    } catch (NativeIoException e) {
      if (e.errno().equals(Errno.EAFNOSUPPORT)) {
        LOG.warning(kind.describe() + " not received: " + e.getMessage());
        return Optional.empty();
      }
      throw e;
    }
    try {
      socket.setReceiveBufferSize(receiveBufferBytes);
      int granted = socket.receiveBufferSize() / 2;
      if (granted < receiveBufferBytes) {
        LOG.info(kind.label() + ": receive buffer " + granted + " bytes of " + receiveBufferBytes
            + " asked (capped by net.core.rmem_max)");
      }
      return Optional.of(new Socket(kind, socket, granted));
    } catch (NativeIoException | RuntimeException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  /** Whether the calling thread's network namespace has an interface {@code name}. */
  static boolean interfaceExists(String name) throws IOException {
    for (String line : Files.readAllLines(NET_DEV)) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Whether interface {@code name} of the calling thread's network namespace has an IPv4 address. */
  static boolean hasIpv4Address(String name) throws IOException {
    NetworkInterface nic = NetworkInterface.getByName(name);
    return nic != null && nic.inetAddresses().anyMatch(a -> a instanceof Inet4Address);
  }

  private static Decapsulator decapsulator(EndpointConfig c) {
    return Decapsulator.create(VipSet.of(c.vipAddresses()), c.directorAddresses().map(VipSet::of));
  }

  private static String describeDirectors(EndpointConfig c) {
    return c.directors().map(List::toString).orElse("any source");
  }

  private void registerMetrics() {
    DropCounters verdicts = worker.verdicts();
    EndpointCounters counters = worker.counters();
    metrics.family("lb_endpoint_received_packets_total", "Tunnel packets received, by socket (outer family/protocol)",
        "counter", out -> {
          for (int i = 0; i < sockets.size(); i++) {
            out.sample("lb_endpoint_received_packets_total", List.of("socket", sockets.get(i).kind().label()),
                counters.receivedOn(i));
          }
        });
    metrics.family("lb_endpoint_delivered_packets_total", "Inner packets written to the TUN device", "counter",
        out -> out.sample("lb_endpoint_delivered_packets_total", List.of(), counters.get(EndpointCounters.DELIVERED)));
    metrics.family("lb_endpoint_dropped_packets_total", "Tunnel packets dropped, by verdict", "counter", out -> {
      for (Verdict v : Verdict.values()) {
        if (!v.isOk()) {
          out.sample("lb_endpoint_dropped_packets_total", List.of("verdict", v.name()), verdicts.get(v));
        }
      }
    });
    metrics.family("lb_endpoint_tun_write_errors_total", "Inner packets the TUN device refused (e.g. link down)",
        "counter", out -> out.sample("lb_endpoint_tun_write_errors_total", List.of(),
            counters.get(EndpointCounters.TUN_WRITE_ERRORS)));
    metrics.family("lb_endpoint_receive_errors_total", "Failed receives on the raw sockets", "counter",
        out -> out.sample("lb_endpoint_receive_errors_total", List.of(),
            counters.get(EndpointCounters.RECEIVE_ERRORS) + counters.get(EndpointCounters.LOOP_ERRORS)));
    metrics.gauge("lb_endpoint_vips", "VIPs accepted", () -> config.vips().size());
    metrics.family("lb_endpoint_reloads_total", "Config reloads, by result", "counter", out -> {
      out.sample("lb_endpoint_reloads_total", List.of("result", "applied"), reloadsApplied.get());
      out.sample("lb_endpoint_reloads_total", List.of("result", "refused"), reloadsRefused.get());
    });
  }

  /** {@link #reloadConfig()} (SIGHUP). */
  @Override
  public void reload() {
    reloadConfig();
  }

  /** Re-reads the config file; see the class documentation. Returns whether the new VIPs/directors apply. */
  synchronized boolean reloadConfig() {
    EndpointConfig next;
    try {
      next = ConfigLoader.load(configFile, EndpointConfig.class);
    } catch (ConfigException e) {
      reloadsRefused.incrementAndGet();
      lastRefusal = e.getMessage();
      lastReload = Instant.now();
      LOG.severe("reload refused, running config kept: " + e.getMessage());
      return false;
    }
    List<String> needRestart = new ArrayList<>();
    if (!next.node().equals(started.node())) {
      needRestart.add("node");
    }
    if (!next.device().equals(started.device())) {
      needRestart.add("device");
    }
    if (!next.admin().equals(started.admin())) {
      needRestart.add("admin");
    }
    if (next.receiveBufferBytes() != started.receiveBufferBytes()) {
      needRestart.add("receiveBufferBytes");
    }
    if (next.relaxReversePathFilter() != started.relaxReversePathFilter()) {
      needRestart.add("relaxReversePathFilter");
    }
    EndpointConfig applied = new EndpointConfig(started.node(), started.device(), next.vips(), next.directors(),
        started.admin(), started.receiveBufferBytes(), started.relaxReversePathFilter());
    worker.use(decapsulator(applied));
    config = applied;
    reloadsApplied.incrementAndGet();
    lastReload = Instant.now();
    LOG.info("reloaded: VIPs " + applied.vips() + ", directors " + describeDirectors(applied)
        + (needRestart.isEmpty() ? "" : "; changed " + needRestart + " take effect after a restart only"));
    return true;
  }

  /** The running configuration (VIPs and directors as last reloaded). */
  EndpointConfig config() {
    return config;
  }

  /** The packet loop's thread id (allocation measurements). */
  long workerThreadId() {
    return thread.threadId();
  }

  int adminPort() {
    return admin.port();
  }

  String deviceName() {
    return tun.name();
  }

  boolean deviceCreated() {
    return deviceCreated;
  }

  long dropped(Verdict verdict) {
    return worker.verdicts().get(verdict);
  }

  long delivered() {
    return worker.counters().get(EndpointCounters.DELIVERED);
  }

  long received() {
    return worker.counters().receivedTotal();
  }

  long tunWriteErrors() {
    return worker.counters().get(EndpointCounters.TUN_WRITE_ERRORS);
  }

  /** Labels of the sockets opened, e.g. {@code ipv4/4}. */
  List<String> socketLabels() {
    return sockets.stream().map(s -> s.kind().label()).toList();
  }

  Map<String, Object> status() {
    EndpointConfig c = config;
    EndpointCounters counters = worker.counters();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("node", c.node());
    s.put("configFile", configFile.toString());
    s.put("device", tun.name());
    s.put("deviceCreated", deviceCreated);
    s.put("reversePathFilter", reversePathFilter);
    s.put("vips", c.vipAddresses().stream().map(Addresses::toText).toList());
    s.put("directors", c.directorAddresses().<Object>map(l -> l.stream().map(Addresses::toText).toList())
        .orElse("any"));
    Map<String, Object> packets = new LinkedHashMap<>();
    packets.put("received", counters.receivedTotal());
    packets.put("delivered", counters.get(EndpointCounters.DELIVERED));
    packets.put("dropped", dropTotal());
    packets.put("tunWriteErrors", counters.get(EndpointCounters.TUN_WRITE_ERRORS));
    packets.put("receiveErrors", counters.get(EndpointCounters.RECEIVE_ERRORS)
        + counters.get(EndpointCounters.LOOP_ERRORS));
    s.put("packets", packets);
    Map<String, Long> drops = new LinkedHashMap<>();
    for (Verdict v : Verdict.values()) {
      long n = worker.verdicts().get(v);
      if (!v.isOk() && n > 0) {
        drops.put(v.name(), n);
      }
    }
    long unknown = worker.verdicts().get(-1);
    if (unknown > 0) {
      drops.put("UNKNOWN", unknown);
    }
    s.put("drops", drops);
    List<Map<String, Object>> socketList = new ArrayList<>();
    for (int i = 0; i < sockets.size(); i++) {
      Socket sock = sockets.get(i);
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("socket", sock.kind().label());
      one.put("carries", sock.kind().describe());
      one.put("received", counters.receivedOn(i));
      one.put("receiveBufferBytes", sock.receiveBufferBytes());
      socketList.add(one);
    }
    s.put("sockets", socketList);
    Errno writeError = worker.lastTunWriteError();
    if (writeError != null) {
      s.put("lastTunWriteError", writeError.name() + " (" + writeError.description() + ")");
    }
    if (worker.lastLoopError() != null) {
      s.put("lastLoopError", worker.lastLoopError());
    }
    Map<String, Object> reloads = new LinkedHashMap<>();
    reloads.put("applied", reloadsApplied.get());
    reloads.put("refused", reloadsRefused.get());
    Instant at = lastReload;
    if (at != null) {
      reloads.put("last", at.toString());
    }
    if (!lastRefusal.isEmpty()) {
      reloads.put("lastRefusal", lastRefusal);
    }
    s.put("reloads", reloads);
    return s;
  }

  private long dropTotal() {
    long sum = 0;
    for (Verdict v : Verdict.values()) {
      if (!v.isOk()) {
        sum += worker.verdicts().get(v);
      }
    }
    return sum + worker.verdicts().get(-1);
  }

  String statusJson() {
    return AdminServer.json(status());
  }

  /** Blocks until {@link #close()} completed. */
  @Override
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  /** Stops the loop, closes the sockets, the device (a device the endpoint created goes away) and the admin endpoint. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      worker.stop();
      if (thread.isAlive()) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (admin != null) {
        admin.close();
      }
      sockets.forEach(s -> closeQuietly(s.socket()));
      closeQuietly(tun);
      LOG.info("tunnel endpoint stopped: " + received() + " packets received, " + delivered() + " delivered");
      stopped.countDown();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.fine("close " + c + ": " + e.getMessage());
    }
  }
}
