package org.example.lb.dns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.example.lb.common.cli.Closing;
import org.example.lb.common.cli.RunningService;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigFileWatch;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.flags.SerialExecutor;
import org.example.lb.common.metrics.AdminServer;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.dns.answer.AnswerTable;
import org.example.lb.dns.answer.QueryStats;
import org.example.lb.dns.answer.QueryStats.Stat;
import org.example.lb.dns.wire.WireName;
import org.example.lb.dns.zone.Zone;
import org.example.lb.dns.zone.ZoneException;
import org.example.lb.dns.zone.ZoneFile;

/**
 * A running server ({@code dns-tier run}): the zones compiled into an {@link AnswerTable}, the sockets of
 * {@link DnsServer}, the admin endpoint, and reloads.
 *
 * <p>The table is held in one {@link AtomicReference}; workers read it once per query, a reload builds a new one off
 * the query path and swaps it in with one write, so no query is lost or sees half a reload. Reloads (SIGHUP, the
 * config file or a zone file changing) run one at a time on a {@link SerialExecutor}: each zone file is read again;
 * a zone that fails keeps its previous version (the error, {@code file:line: ...}, is logged in one line and shown in
 * status) and the others are applied. Listen addresses, port, workers, TCP settings and the admin port need a
 * restart: a reload that changes them is rejected, saying so.
 */
public final class DnsNode implements RunningService {
  private static final Logger LOG = Logger.getLogger(DnsNode.class.getName());
  static final Duration FILE_POLL = Duration.ofSeconds(1);

  private final Path configFile;
  private final SerialExecutor control = new SerialExecutor(Executors.newVirtualThreadPerTaskExecutor());
  private final Closing closing = new Closing();
  private final QueryStats stats = new QueryStats();
  private final Metrics metrics = new Metrics();
  private final AtomicReference<AnswerTable> table = new AtomicReference<>();
  private final Metrics.Counter reloads = metrics.counter("lb_dns_reloads_total", "Reloads applied");
  private final Metrics.Counter reloadsRejected =
      metrics.counter("lb_dns_reloads_rejected_total", "Reloads rejected (config invalid or needing a restart)");
  private final Metrics.Counter zoneLoadFailures = metrics.counter("lb_dns_zone_load_failures_total",
      "Zone files that failed to load on reload (the previous version stayed)");

  // Written on `control` only; volatile where status() reads them.
  private volatile DnsConfig config;
  private volatile Map<WireName, ZoneState> zones = Map.of();
  private volatile Optional<String> lastReload = Optional.empty();
  private final List<ConfigFileWatch> watches = new java.util.concurrent.CopyOnWriteArrayList<>();
  private DnsServer server;
  private AdminServer admin;

  /** A configured zone: the file, the version served (if any), the last failure. */
  record ZoneState(WireName name, Path file, Optional<Zone> zone, Optional<Instant> loadedAt,
      Optional<String> error) {}

  private DnsNode(Path configFile, DnsConfig config) {
    this.configFile = configFile;
    this.config = config;
  }

  /**
   * Loads every zone (all must load), then listens.
   *
   * @throws ConfigException (file:line) when a zone file is invalid
   * @throws IOException (one line) when an address or the admin port cannot be had
   */
  public static DnsNode start(DnsConfig config, Path configFile) throws ConfigException, IOException {
    DnsNode node = new DnsNode(configFile, config);
    try {
      node.startUp();
    } catch (ConfigException | IOException | RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  /** Reads and compiles every zone of {@code config}; the first failure as a {@link ConfigException}. */
  public static AnswerTable compile(DnsConfig config, Path configFile) throws ConfigException {
    List<Zone> loaded = new ArrayList<>();
    try {
      for (Map.Entry<WireName, Path> e : config.zoneFiles(configDir(configFile)).entrySet()) {
        loaded.add(ZoneFile.load(e.getKey(), e.getValue()));
      }
      return AnswerTable.build(loaded, config.identity());
    } catch (ZoneException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static Path configDir(Path configFile) {
    Path parent = configFile.toAbsolutePath().getParent();
    return parent == null ? Path.of(".") : parent;
  }

  private void startUp() throws ConfigException, IOException {
    AnswerTable compiled = compile(config, configFile);
    Instant now = Instant.now();
    Map<WireName, ZoneState> states = new LinkedHashMap<>();
    Map<WireName, Path> files = config.zoneFiles(configDir(configFile));
    for (Zone z : compiled.zones()) {
      states.put(z.origin(), new ZoneState(z.origin(), files.get(z.origin()), Optional.of(z), Optional.of(now),
          Optional.empty()));
    }
    zones = java.util.Collections.unmodifiableMap(states);
    table.set(compiled);
    registerMetrics();
    server = DnsServer.start(config.listen().socketAddresses(), config.workers(), config.tcp().idleTimeout(),
        config.tcp().maxConnections(), table::get, stats);
    admin = AdminServer.start(config.admin().port(), metrics, () -> AdminServer.json(status()));
    watchFiles();
    LOG.info(config.node() + ": serving " + states.size() + " zones (" + compiled.size() + " names) on "
        + server.addresses() + " with " + config.workers() + " workers; admin on 127.0.0.1:" + admin.port());
  }

  /** Watches the config file and every zone file; a change reloads. */
  private void watchFiles() {
    watches.forEach(ConfigFileWatch::close);
    watches.clear();
    List<Path> files = new ArrayList<>();
    files.add(configFile);
    zones.values().forEach(z -> files.add(z.file()));
    for (Path f : files) {
      watches.add(ConfigFileWatch.start(f, FILE_POLL, () -> {
        LOG.info(f + " changed: reloading");
        reload();
      }));
    }
  }

  /** The addresses served (port resolved). */
  public List<InetSocketAddress> addresses() {
    return server.addresses();
  }

  public QueryStats stats() {
    return stats;
  }

  /** Re-reads the config and every zone file; failures keep what is served and are reported in one line. */
  @Override
  public void reload() {
    control.execute(() -> {
      if (closing.isBegun()) {
        return;
      }
      DnsConfig next;
      try {
        next = ConfigLoader.load(configFile, DnsConfig.class);
      } catch (ConfigException e) {
        reject(e.getMessage());
        return;
      }
      DnsConfig current = config;
      if (!next.listen().equals(current.listen()) || next.workers() != current.workers()
          || !next.tcp().equals(current.tcp()) || next.admin().port() != current.admin().port()) {
        reject(configFile + ": listen, workers, tcp and admin.port need a restart");
        return;
      }
      Map<WireName, ZoneState> before = zones;
      Map<WireName, ZoneState> after = new LinkedHashMap<>();
      List<String> failures = new ArrayList<>();
      Instant now = Instant.now();
      for (Map.Entry<WireName, Path> e : next.zoneFiles(configDir(configFile)).entrySet()) {
        ZoneState previous = before.get(e.getKey());
        Optional<Zone> kept = previous != null && previous.file().equals(e.getValue()) ? previous.zone()
            : Optional.empty();
        Optional<Instant> keptAt = kept.isPresent() ? previous.loadedAt() : Optional.empty();
        try {
          Zone z = ZoneFile.load(e.getKey(), e.getValue());
          AnswerTable.build(List.of(z), next.identity()); // compiles alone: a CNAME loop fails here, for this zone
          after.put(e.getKey(), new ZoneState(e.getKey(), e.getValue(), Optional.of(z), Optional.of(now),
              Optional.empty()));
        } catch (ZoneException ex) {
          zoneLoadFailures.increment();
          failures.add(ex.getMessage());
          LOG.warning("zone " + e.getKey() + " not reloaded, " + (kept.isPresent() ? "previous version served: "
              : "not served: ") + ex.getMessage());
          after.put(e.getKey(), new ZoneState(e.getKey(), e.getValue(), kept, keptAt, Optional.of(ex.getMessage())));
        }
      }
      List<Zone> serve = after.values().stream().flatMap(s -> s.zone().stream()).toList();
      try {
        table.set(AnswerTable.build(serve, next.identity()));
      } catch (ZoneException ex) {
        reject(ex.getMessage()); // each zone compiled alone above; kept for safety
        return;
      }
      boolean filesChanged = !after.keySet().equals(before.keySet())
          || after.values().stream().anyMatch(s -> before.get(s.name()) == null
              || !before.get(s.name()).file().equals(s.file()));
      config = next;
      zones = java.util.Collections.unmodifiableMap(after);
      if (filesChanged) {
        watchFiles();
      }
      reloads.increment();
      lastReload = Optional.of(Instant.now() + (failures.isEmpty() ? " applied"
          : " applied, " + failures.size() + " zone(s) kept their previous version: " + String.join("; ", failures)));
      LOG.info(configFile + ": reloaded, serving " + serve.size() + " zones");
    });
  }

  private void reject(String why) {
    reloadsRejected.increment();
    lastReload = Optional.of(Instant.now() + " rejected: " + why);
    LOG.warning("reload rejected, running config kept: " + why);
  }

  // ---- status and metrics ----

  /** A snapshot for /status (any thread). */
  public DnsStatus status() {
    DnsConfig c = config;
    List<DnsStatus.ZoneStatus> zs = new ArrayList<>();
    for (ZoneState z : zones.values()) {
      zs.add(new DnsStatus.ZoneStatus(z.name().toString(), z.file().toString(), z.zone().isPresent(),
          z.zone().map(Zone::serial), z.zone().map(x -> x.records().size()).orElse(0),
          z.loadedAt().map(Instant::toString), z.error()));
    }
    DnsServer s = server;
    return new DnsStatus(c.node(), s == null ? List.of() : s.addresses().stream().map(DnsNode::text).toList(),
        c.workers(), zs, stats.snapshot(), s == null ? 0 : s.openConnections(), lastReload);
  }

  private static String text(InetSocketAddress a) {
    String host = org.example.lb.common.config.Addresses.toText(a.getAddress());
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private void registerMetrics() {
    metrics.family("lb_dns_responses_total", "Responses sent, by rcode", "counter", s -> {
      for (Stat st : new Stat[] {Stat.NOERROR, Stat.NXDOMAIN, Stat.REFUSED, Stat.FORMERR, Stat.NOTIMP,
          Stat.BADVERS}) {
        s.sample("lb_dns_responses_total", List.of("rcode", st.key()), stats.get(st));
      }
    });
    metrics.family("lb_dns_dropped_total", "Queries dropped without an answer, by reason", "counter", s -> {
      s.sample("lb_dns_dropped_total", List.of("reason", "short"), stats.get(Stat.DROPPED_SHORT));
      s.sample("lb_dns_dropped_total", List.of("reason", "response"), stats.get(Stat.DROPPED_RESPONSE));
    });
    metrics.family("lb_dns_requests_total", "Requests received, by transport", "counter", s -> {
      s.sample("lb_dns_requests_total", List.of("transport", "udp"), stats.get(Stat.UDP_REQS));
      s.sample("lb_dns_requests_total", List.of("transport", "tcp"), stats.get(Stat.TCP_REQS));
    });
    counter("lb_dns_v6_requests_total", "Requests over IPv6", Stat.V6);
    counter("lb_dns_edns_total", "Requests with EDNS (an OPT record)", Stat.EDNS);
    counter("lb_dns_edns_do_total", "EDNS requests with the DO bit", Stat.EDNS_DO);
    counter("lb_dns_nsid_total", "EDNS requests asking for the NSID", Stat.NSID);
    counter("lb_dns_udp_truncated_total", "UDP responses truncated (TC set)", Stat.UDP_TC);
    counter("lb_dns_udp_edns_big_total", "UDP requests advertising an EDNS payload above 512", Stat.UDP_EDNS_BIG);
    counter("lb_dns_udp_send_errors_total", "UDP responses that could not be sent", Stat.UDP_SENDFAIL);
    counter("lb_dns_tcp_connections_total", "TCP connections accepted", Stat.TCP_CONNS);
    counter("lb_dns_tcp_refused_total", "TCP connections closed at once (maxConnections reached)",
        Stat.TCP_CONNS_REFUSED);
    counter("lb_dns_tcp_recv_errors_total", "TCP messages too short for a header (the connection was closed)",
        Stat.TCP_RECVFAIL);
    metrics.family("lb_dns_tcp_closes_total", "TCP connections closed, by who and why", "counter", s -> {
      s.sample("lb_dns_tcp_closes_total", List.of("by", "client"), stats.get(Stat.TCP_CLOSE_C));
      s.sample("lb_dns_tcp_closes_total", List.of("by", "idle"), stats.get(Stat.TCP_CLOSE_S_IDLE));
      s.sample("lb_dns_tcp_closes_total", List.of("by", "error"), stats.get(Stat.TCP_CLOSE_S_ERR));
    });
    metrics.gauge("lb_dns_tcp_connections_open", "TCP connections open",
        () -> server == null ? 0 : server.openConnections());
    metrics.family("lb_dns_zone_serial", "SOA serial served, per zone", "gauge", s -> {
      for (ZoneState z : zones.values()) {
        z.zone().ifPresent(zone -> s.sample("lb_dns_zone_serial", List.of("zone", z.name().toString()),
            zone.serial()));
      }
    });
    metrics.family("lb_dns_zone_load_failed", "1 while the zone file's last load failed (the previous version "
        + "is served, if any)", "gauge", s -> {
          for (ZoneState z : zones.values()) {
            s.sample("lb_dns_zone_load_failed", List.of("zone", z.name().toString()), z.error().isPresent() ? 1 : 0);
          }
        });
  }

  private void counter(String name, String help, Stat stat) {
    metrics.family(name, help, "counter", s -> s.sample(name, List.of(), stats.get(stat)));
  }

  /** The human view of a status JSON ({@code dns-tier status}). */
  public static String render(String json) throws IOException {
    return StatusView.render(ConfigLoader.json().readValue(json, DnsStatus.class));
  }

  @Override
  public void awaitShutdown() throws InterruptedException {
    closing.await();
  }

  /** Stops the watches, the sockets (queries in flight are answered), then the admin endpoint. Idempotent. */
  @Override
  public void close() {
    if (!closing.begin()) {
      return;
    }
    try {
      control.execute(() -> watches.forEach(ConfigFileWatch::close));
      watches.forEach(ConfigFileWatch::close);
      if (server != null) {
        server.close();
      }
      if (admin != null) {
        admin.close();
      }
      LOG.info("stopped");
    } finally {
      closing.finished();
    }
  }
}
