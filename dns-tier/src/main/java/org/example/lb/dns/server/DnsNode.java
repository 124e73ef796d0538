package org.example.lb.dns.server;

import java.io.IOException;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.example.lb.common.cli.Closing;
import org.example.lb.common.cli.RunningService;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigFileWatch;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.flags.SerialExecutor;
import org.example.lb.common.health.CheckScheduler;
import org.example.lb.common.health.DurationText;
import org.example.lb.common.metrics.AdminServer;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.dns.answer.AnswerTable;
import org.example.lb.dns.answer.QueryStats;
import org.example.lb.dns.answer.QueryStats.Stat;
import org.example.lb.dns.health.HealthSnapshot;
import org.example.lb.dns.health.HealthState;
import org.example.lb.dns.health.HealthTable;
import org.example.lb.dns.health.MonitorSpec;
import org.example.lb.dns.health.MonitorStatus;
import org.example.lb.dns.health.ServiceType;
import org.example.lb.dns.resource.AnswerCounters;
import org.example.lb.dns.resource.Binding;
import org.example.lb.dns.resource.Choice;
import org.example.lb.dns.resource.DynamicAnswers;
import org.example.lb.dns.resource.ResourceState;
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
 *
 * <p>Dynamic names (gdnsd's DYNA) answer from resources whose addresses a {@link HealthTable} monitors. At start, and
 * for the monitors a reload adds, the first check of every monitor ends before the table is served (gdnsd's initial
 * round, bounded by the longest check timeout). A reload builds new {@link DynamicAnswers} bound in the new table,
 * subscribes them to health changes, swaps the table, and only then stops the monitors no longer needed: a query sees
 * the old bindings or the new ones, never none.
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
  private final AnswerCounters answerCounters = new AnswerCounters();
  private HealthTable health;
  private volatile DynamicAnswers dynamic;
  private List<MonitorSpec> monitored = List.of(); // on control
  private Set<String> resourceKeys = Set.of(); // on control

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

  /**
   * Reads and compiles every zone of {@code config}, with its dynamic names (every address taken as UP); the first
   * failure as a {@link ConfigException}.
   */
  public static AnswerTable compile(DnsConfig config, Path configFile) throws ConfigException {
    try {
      DynamicAnswers.monitors(config.resources(), config.serviceTypes(), DnsConfig.extDirectory(configDir(configFile)));
      return AnswerTable.build(loadZones(config, configFile), config.identity(), DynamicAnswers.of(config.resources(),
          config.dynamicNames(), new AnswerCounters(), HealthSnapshot.EMPTY));
    } catch (ZoneException e) {
      throw new ConfigException(e.getMessage()); // names the zone file and line
    } catch (IllegalArgumentException e) {
      throw new ConfigException(configFile + ": " + e.getMessage());
    }
  }

  private static List<Zone> loadZones(DnsConfig config, Path configFile) throws ZoneException {
    List<Zone> loaded = new ArrayList<>();
    for (Map.Entry<WireName, Path> e : config.zoneFiles(configDir(configFile)).entrySet()) {
      loaded.add(ZoneFile.load(e.getKey(), e.getValue()));
    }
    return loaded;
  }

  /** The bindings of the names whose deepest zone is {@code zone}: what it compiles with alone. */
  private static Map<WireName, Binding> bindingsOf(WireName zone, Set<WireName> zones, Map<WireName, Binding> all) {
    Map<WireName, Binding> out = new LinkedHashMap<>();
    all.forEach((name, b) -> {
      WireName deepest = null;
      for (WireName z : zones) {
        if (name.isAtOrBelow(z) && (deepest == null || z.length() > deepest.length())) {
          deepest = z;
        }
      }
      if (zone.equals(deepest)) {
        out.put(name, b);
      }
    });
    return out;
  }

  /**
   * Waits for the first result of the monitors {@code started} (gdnsd's initial round), at most the longest check
   * timeout of {@code config} and 2 s more; monitors still without a result are UP until they have one.
   */
  private static void initialRound(CompletableFuture<Void> started, DnsConfig config) {
    Duration limit = config.serviceTypes().values().stream().map(ServiceType::timeout)
        .filter(java.util.Objects::nonNull).max(Duration::compareTo).orElse(Duration.ZERO).plusSeconds(2);
    try {
      started.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warning("initial round of monitoring not complete after " + DurationText.of(limit)
          + ": monitors without a result count as UP until they have one");
    } catch (ExecutionException e) {
      throw new IllegalStateException("starting monitors failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the initial round of monitoring", e);
    }
  }

  private static void await(CompletableFuture<?> f) {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the health table did not answer within 10s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Path configDir(Path configFile) {
    Path parent = configFile.toAbsolutePath().getParent();
    return parent == null ? Path.of(".") : parent;
  }

  private void startUp() throws ConfigException, IOException {
    Path dir = configDir(configFile);
    List<Zone> loaded;
    List<MonitorSpec> specs;
    try {
      loaded = loadZones(config, configFile);
      specs = DynamicAnswers.monitors(config.resources(), config.serviceTypes(), DnsConfig.extDirectory(dir));
    } catch (ZoneException | IllegalArgumentException e) {
      throw new ConfigException(e instanceof ZoneException ? e.getMessage() : configFile + ": " + e.getMessage());
    }
    health = HealthTable.start(config.adminStateFile(dir), CheckScheduler.system(), Clock.systemUTC());
    Set<String> keys = DynamicAnswers.resourceKeys(config.resources());
    initialRound(health.add(specs, keys), config);
    monitored = specs;
    resourceKeys = keys;
    DynamicAnswers dyn = DynamicAnswers.of(config.resources(), config.dynamicNames(), answerCounters,
        health.snapshot());
    AnswerTable compiled;
    try {
      compiled = AnswerTable.build(loaded, config.identity(), dyn);
    } catch (ZoneException e) {
      throw new ConfigException(e.getMessage());
    }
    await(health.subscribe(dyn::update));
    dynamic = dyn;
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
    registerHealthMetrics();
    server = DnsServer.start(config.listen().socketAddresses(), config.workers(), config.tcp().idleTimeout(),
        config.tcp().maxConnections(), table::get, stats);
    admin = AdminServer.start(config.admin().port(), metrics, () -> AdminServer.json(status()),
        Map.of("/states", () -> AdminServer.json(states())));
    watchFiles();
    LOG.info(config.node() + ": serving " + states.size() + " zones (" + compiled.size() + " names, "
        + config.dynamic().size() + " dynamic, " + specs.size() + " monitors) on " + server.addresses() + " with "
        + config.workers() + " workers; admin on 127.0.0.1:" + admin.port());
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
      Path dir = configDir(configFile);
      List<MonitorSpec> specs;
      try {
        specs = DynamicAnswers.monitors(next.resources(), next.serviceTypes(), DnsConfig.extDirectory(dir));
      } catch (IllegalArgumentException e) {
        reject(configFile + ": " + e.getMessage());
        return;
      }
      Set<String> keys = DynamicAnswers.resourceKeys(next.resources());
      initialRound(health.add(specs, keys), next);
      Map<WireName, Binding> bindings = next.dynamicNames();
      Set<WireName> zoneNames = next.zoneFiles(dir).keySet();
      Map<WireName, ZoneState> before = zones;
      Map<WireName, ZoneState> after = new LinkedHashMap<>();
      List<String> failures = new ArrayList<>();
      Instant now = Instant.now();
      for (Map.Entry<WireName, Path> e : next.zoneFiles(dir).entrySet()) {
        ZoneState previous = before.get(e.getKey());
        Optional<Zone> kept = previous != null && previous.file().equals(e.getValue()) ? previous.zone()
            : Optional.empty();
        Optional<Instant> keptAt = kept.isPresent() ? previous.loadedAt() : Optional.empty();
        try {
          Zone z = ZoneFile.load(e.getKey(), e.getValue());
          // compiles alone: a CNAME loop, or A records at one of its dynamic names, fails here, for this zone
          AnswerTable.build(List.of(z), next.identity(), DynamicAnswers.of(next.resources(),
              bindingsOf(e.getKey(), zoneNames, bindings), new AnswerCounters(), health.snapshot()));
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
      DynamicAnswers dyn = DynamicAnswers.of(next.resources(), bindings, answerCounters, health.snapshot());
      AnswerTable built;
      try {
        built = AnswerTable.build(serve, next.identity(), dyn);
      } catch (ZoneException ex) {
        health.retain(monitored, resourceKeys); // the monitors this reload added are not needed
        reject(ex.getMessage()); // e.g. a zone kept at its previous version clashes with a new dynamic name
        return;
      }
      await(health.subscribe(dyn::update)); // from now on health changes reach the new answers
      table.set(built);
      dynamic = dyn;
      health.retain(specs, keys);
      monitored = specs;
      resourceKeys = keys;
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
      LOG.info(configFile + ": reloaded, serving " + serve.size() + " zones, " + bindings.size() + " dynamic names, "
          + specs.size() + " monitors");
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

  /** The monitored states and what each resource answers, for /states (any thread). */
  public DnsStates states() {
    HealthSnapshot h = health == null ? HealthSnapshot.EMPTY : health.snapshot();
    DynamicAnswers d = dynamic;
    Map<String, DnsStates.Monitor> monitors = new LinkedHashMap<>();
    for (MonitorStatus m : h.monitors().values()) {
      monitors.put(m.name(), new DnsStates.Monitor(m.stateText(), m.real().down() ? "DOWN" : "UP",
          ttlText(m.effective().ttl()), m.plugin(), m.lastCheck(), m.since().map(Instant::toString), m.progress()));
    }
    Map<String, DnsStates.Resource> resources = new LinkedHashMap<>();
    if (d != null) {
      Map<String, Map<ResourceState, Long>> answered = answerCounters.snapshot();
      d.selections().forEach((name, sel) -> {
        var r = d.resources().get(name);
        List<String> names = new ArrayList<>();
        d.bindings().forEach((n, b) -> {
          if (b.resource().equals(name)) {
            names.add(n + " (TTL " + b.minTtl() + "-" + b.ttl() + ")");
          }
        });
        Map<String, Long> counts = new LinkedHashMap<>();
        answered.getOrDefault(name, Map.of()).forEach((state, n) -> counts.put(state.toString(), n));
        resources.put(name, new DnsStates.Resource(r.plugin().toString(), sel.state().toString(),
            h.forcedResource(r.key()).map(HealthState::toString), ttlText(sel.health().ttl()), choiceText(sel.v4()),
            choiceText(sel.v6()), names, counts));
      });
    }
    return new DnsStates(monitors, resources, health == null ? "" : health.adminStateFile().toString(),
        health == null ? 0 : health.badLines(), health == null ? 0 : health.halfWrittenFiles(),
        health == null ? 0 : health.adminStateRejected());
  }

  private static String ttlText(long ttl) {
    return ttl == HealthState.MAX_TTL ? "MAX" : String.valueOf(ttl);
  }

  private static List<String> choiceText(Choice c) {
    return switch (c) {
      case Choice.Listed l -> l.addresses().stream().map(org.example.lb.common.config.Addresses::toText).toList();
      case Choice.Weighted w -> java.util.stream.IntStream.range(0, w.addresses().size()).mapToObj(i ->
          org.example.lb.common.config.Addresses.toText(w.addresses().get(i)) + "*" + w.weights().get(i)).toList();
    };
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
    counter("lb_dns_udp_recv_errors_total", "UDP receive errors and queries the responder failed on",
        Stat.UDP_RECVFAIL);
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

  private void registerHealthMetrics() {
    metrics.family("lb_dns_monitor_up", "1 while a monitored address and service type is UP (as resources see it: "
        + "forced by admin_state, else monitored)", "gauge", s -> {
          for (MonitorStatus m : health.snapshot().monitors().values()) {
            s.sample("lb_dns_monitor_up", List.of("monitor", m.name()), m.effective().down() ? 0 : 1);
          }
        });
    metrics.family("lb_dns_monitor_forced", "1 while an admin_state line forces the monitor's state", "gauge", s -> {
      for (MonitorStatus m : health.snapshot().monitors().values()) {
        s.sample("lb_dns_monitor_forced", List.of("monitor", m.name()), m.forced().isPresent() ? 1 : 0);
      }
    });
    metrics.family("lb_dns_resource_state", "1 for the state each resource answers in (up, degraded, down)", "gauge",
        s -> {
          DynamicAnswers d = dynamic;
          if (d != null) {
            d.selections().forEach((name, sel) -> {
              for (ResourceState st : ResourceState.values()) {
                s.sample("lb_dns_resource_state", List.of("resource", name, "state", st.toString()),
                    sel.state() == st ? 1 : 0);
              }
            });
          }
        });
    metrics.family("lb_dns_dynamic_answers_total", "Dynamic address answers sent, by resource and the state it "
        + "answered in", "counter", s -> answerCounters.snapshot().forEach((name, counts) -> counts.forEach((st, n) ->
            s.sample("lb_dns_dynamic_answers_total", List.of("resource", name, "state", st.toString()), n))));
    metrics.family("lb_dns_extfile_bad_lines_total", "Extfile lines skipped as malformed", "counter",
        s -> s.sample("lb_dns_extfile_bad_lines_total", List.of(), health.badLines()));
    metrics.family("lb_dns_extfile_half_written_total", "Extfile versions read as they were after waiting "
        + "(empty, or no final newline)",
        "counter", s -> s.sample("lb_dns_extfile_half_written_total", List.of(), health.halfWrittenFiles()));
    metrics.family("lb_dns_admin_state_rejected_total", "admin_state versions ignored whole for a malformed line",
        "counter", s -> s.sample("lb_dns_admin_state_rejected_total", List.of(), health.adminStateRejected()));
  }

  /** The human view of a /states JSON ({@code dns-tier states}). */
  public static String renderStates(String json) throws IOException {
    return StatesView.render(ConfigLoader.json().readValue(json, DnsStates.class));
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
      // Now, and again after a reload that may be running on control (it replaces the watches when it ends).
      control.execute(() -> watches.forEach(ConfigFileWatch::close));
      watches.forEach(ConfigFileWatch::close);
      if (server != null) {
        server.close();
      }
      if (admin != null) {
        admin.close();
      }
      if (health != null) {
        health.close();
      }
      LOG.info("stopped");
    } finally {
      closing.finished();
    }
  }
}
