package org.example.lb.bgp.speaker;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.example.lb.bgp.gobgp.Announcer;
import org.example.lb.bgp.gobgp.AnnouncerSettings;
import org.example.lb.bgp.gobgp.AnnouncerStatus;
import org.example.lb.bgp.gobgp.GlobalSettings;
import org.example.lb.bgp.gobgp.GobgpClient;
import org.example.lb.bgp.gobgp.PeerSettings;
import org.example.lb.bgp.gobgp.PeerStatus;
import org.example.lb.bgp.gobgp.Prefix;
import org.example.lb.bgp.gobgp.Route;
import org.example.lb.bgp.health.Advertisement;
import org.example.lb.bgp.health.HealthCheck;
import org.example.lb.bgp.health.HealthSource;
import org.example.lb.bgp.health.HealthState;
import org.example.lb.bgp.health.HealthStatus;
import org.example.lb.bgp.health.StateChange;
import org.example.lb.common.cli.Closing;
import org.example.lb.common.config.Addresses;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigFileWatch;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.flags.SerialExecutor;
import org.example.lb.common.metrics.AdminServer;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.common.cli.RunningService;

/**
 * A running speaker ({@code bgp-speaker run}): a {@link HealthCheck} decides what must be advertised (ExaBGP
 * healthcheck semantics) and an {@link Announcer} keeps the local gobgpd equal to it — global settings, peers, and
 * one route per configured prefix with this node's next hop, announced with a MED or withdrawn.
 *
 * <p>The speaker's own state (the running config, the advertisement in force) is confined to one
 * {@link SerialExecutor}: health changes and reloads arrive there. Reload (SIGHUP, or the file changing) applies new
 * peers, prefixes, next hops, attributes and check settings without withdrawing what is announced: a new health
 * check starts in INIT, which keeps the advertisement in force until it reaches UP or DOWN. A speaker (re)started
 * while gobgpd runs touches none of its routes until its check first decides (UP, DOWN or DISABLED), so restarting or
 * upgrading the speaker does not flap the node out of the routers. The gobgpd address and
 * the AS / router id need a restart (said so; the running config is kept). Shutdown (SIGTERM) withdraws every
 * route, each by its path, before exiting.
 */
public final class SpeakerNode implements RunningService {
  private static final Logger LOG = Logger.getLogger(SpeakerNode.class.getName());
  static final Duration CONFIG_POLL = Duration.ofSeconds(1);
  /** How long shutdown waits for gobgpd to confirm the withdrawals. */
  static final Duration WITHDRAW_TIMEOUT = Duration.ofSeconds(5);

  private final Path configFile;
  private final SerialExecutor control = new SerialExecutor(Executors.newVirtualThreadPerTaskExecutor());
  private final Metrics metrics = new Metrics();
  private final Closing closing = new Closing();
  private final GobgpClient client;
  private final Announcer announcer;
  private final Metrics.Counter stateChanges =
      metrics.counter("lb_speaker_state_changes_total", "Health state changes");
  private final Metrics.Counter reloadsOk = metrics.counter("lb_speaker_reloads_total", "Config reloads applied");
  private final Metrics.Counter reloadsRejected =
      metrics.counter("lb_speaker_reloads_rejected_total", "Config reloads rejected (the running config was kept)");

  // Written on `control` only; volatile where status() reads them.
  private volatile SpeakerConfig config;
  private volatile HealthCheck health;
  private volatile Advertisement advertisement = Advertisement.withdraw();
  /** Whether the check has decided (UP, DOWN, DISABLED, EXIT) since start; until then gobgpd keeps what it holds. */
  private volatile boolean decided;
  private volatile Optional<String> lastReload = Optional.empty();
  private AdminServer admin;
  private ConfigFileWatch configWatch;

  private SpeakerNode(Path configFile, SpeakerConfig config) {
    this.configFile = configFile;
    this.config = config;
    this.client = GobgpClient.connect(new InetSocketAddress(config.gobgpd().host(), config.gobgpd().port()),
        config.gobgpd().timeout());
    this.announcer = Announcer.start(client, announcerSettings(config));
  }

  /**
   * Starts the speaker: connects to gobgpd (retrying in the background if it is not there yet), starts the health
   * check and the admin endpoint.
   *
   * @throws IOException (one line) when the admin port cannot be had
   */
  public static SpeakerNode start(SpeakerConfig config, Path configFile) throws IOException {
    SpeakerNode node = new SpeakerNode(configFile, config);
    try {
      node.startUp();
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  private void startUp() throws IOException {
    control.execute(() -> health = startHealth(config));
    registerMetrics();
    admin = AdminServer.start(config.admin().port(), metrics, () -> AdminServer.json(status()));
    configWatch = ConfigFileWatch.start(configFile, CONFIG_POLL, () -> {
      LOG.info(configFile + " changed: reloading");
      reload();
    });
    SpeakerConfig c = config;
    LOG.info(c.node() + ": speaking for " + c.announce().prefixes().size() + " prefixes to "
        + c.bgp().peers().size() + " peers through gobgpd at " + c.gobgpd().address() + "; admin on 127.0.0.1:"
        + admin.port());
  }

  // ---- translating the config ----

  static AnnouncerSettings announcerSettings(SpeakerConfig c) {
    Inet4Address routerId = (Inet4Address) Addresses.parseLiteral(c.bgp().routerId()).orElseThrow();
    GlobalSettings global = new GlobalSettings(c.bgp().asn(), routerId, c.bgp().listenPort(), List.of());
    return AnnouncerSettings.of(global, peers(c));
  }

  static List<PeerSettings> peers(SpeakerConfig c) {
    List<PeerSettings> peers = new ArrayList<>();
    for (SpeakerConfig.Peer p : c.bgp().peers()) {
      peers.add(new PeerSettings(p.ip(), p.asn(), p.holdTime(), p.keepalive(), p.connectRetry(), p.password(),
          p.port() == 179 ? OptionalInt.empty() : OptionalInt.of(p.port()), Optional.empty()));
    }
    return peers;
  }

  /** The routes to announce, without MED (the advertisement sets it). */
  static List<Route> routes(SpeakerConfig c) {
    List<Route> routes = new ArrayList<>();
    SpeakerConfig.Announce a = c.announce();
    for (Prefix p : a.parsedPrefixes()) {
      InetAddress nextHop = Addresses.parseLiteral(p.isIpv4()
          ? a.nextHop().ipv4().orElseThrow() : a.nextHop().ipv6().orElseThrow()).orElseThrow();
      Route r = Route.of(p, nextHop)
          .withCommunities(a.communities().toArray(String[]::new))
          .withLargeCommunities(a.largeCommunities().toArray(String[]::new));
      if (a.localPreference().isPresent()) {
        r = r.withLocalPref(a.localPreference().get());
      }
      routes.add(r);
    }
    return routes;
  }

  static HealthSource source(SpeakerConfig.Health h) {
    if (h.director().isPresent()) {
      return HealthSource.directorQuorum(h.director().get(), h.settings(null).timeout());
    }
    if (h.command().isPresent()) {
      return HealthSource.command(h.command().get(), h.settings(null).timeout());
    }
    return HealthSource.http(h.url().orElseThrow(), h.settings(null).timeout());
  }

  private HealthCheck startHealth(SpeakerConfig c) {
    HealthCheck[] started = new HealthCheck[1];
    started[0] = HealthCheck.start(c.node(), c.health().settings(c.announce().med()), source(c.health()),
        change -> control.execute(() -> onHealth(started[0], change)));
    return started[0];
  }

  // ---- on `control` ----

  private void onHealth(HealthCheck from, StateChange change) {
    if (from != health || closing.isBegun()) {
      return; // a replaced check's last words (its EXIT) must not withdraw what the new one keeps
    }
    stateChanges.increment();
    LOG.info(config.node() + ": " + change);
    boolean deciding = switch (change.to()) {
      case INIT, RISING, FALLING -> false;
      case UP, DOWN, DISABLED, EXIT -> true;
    };
    if (!decided && !deciding) {
      return; // a restarted speaker leaves what gobgpd announces alone until its check decides: no flap on restart
    }
    decided = true;
    apply(change.advertisement());
  }

  /** Makes gobgpd hold what {@code wanted} says for every configured prefix. */
  private void apply(Advertisement wanted) {
    advertisement = wanted;
    announcer.setRoutes(switch (wanted) {
      case Advertisement.Announce a -> routes(config).stream().map(r -> r.withMed(a.med())).toList();
      case Advertisement.Withdraw w -> List.of();
    });
  }

  /** Re-reads the config file; an invalid one is reported in one line and the running config kept. */
  @Override
  public void reload() {
    control.execute(() -> {
      if (closing.isBegun()) {
        return;
      }
      SpeakerConfig next;
      try {
        next = ConfigLoader.load(configFile, SpeakerConfig.class);
      } catch (ConfigException e) {
        reject(e.getMessage());
        return;
      }
      SpeakerConfig current = config;
      if (!next.gobgpd().equals(current.gobgpd()) || next.bgp().asn() != current.bgp().asn()
          || !next.bgp().routerId().equals(current.bgp().routerId())
          || next.bgp().listenPort() != current.bgp().listenPort() || !next.node().equals(current.node())
          || next.admin().port() != current.admin().port()) {
        reject(configFile + ": node, gobgpd, bgp.asn, bgp.routerId, bgp.listenPort and admin.port need a restart");
        return;
      }
      config = next;
      announcer.setPeers(peers(next));
      if (!next.health().equals(current.health()) || !next.announce().med().equals(current.announce().med())) {
        HealthCheck old = health;
        health = startHealth(next); // starts in INIT: the advertisement in force stays until UP or DOWN
        old.close();
      }
      if (decided) {
        apply(advertisement); // the new prefixes, next hops and attributes; dropped prefixes withdrawn
      }
      reloadsOk.increment();
      lastReload = Optional.of(Instant.now() + " applied");
      LOG.info(configFile + ": reloaded");
    });
  }

  private void reject(String why) {
    reloadsRejected.increment();
    lastReload = Optional.of(Instant.now() + " rejected: " + why);
    LOG.warning("reload rejected, running config kept: " + why);
  }

  // ---- status and metrics ----

  /** A snapshot for /status (any thread). */
  public SpeakerStatus status() {
    SpeakerConfig c = config;
    HealthCheck h = health;
    SpeakerStatus.Health healthStatus;
    if (h == null) {
      healthStatus = new SpeakerStatus.Health("INIT", Instant.now().toString(), Optional.empty(), 0,
          c.health().settings(null).disableFile().toString());
    } else {
      HealthStatus s = h.status();
      healthStatus = new SpeakerStatus.Health(s.state().name(), s.since().toString(),
          s.lastResult().map(r -> (r.ok() ? "ok: " : "failed: ") + r.detail()), s.checksRun(),
          h.settings().disableFile().toString());
    }
    AnnouncerStatus a = announcer.status();
    List<SpeakerStatus.Peer> peers = a.peers().stream().map(p -> new SpeakerStatus.Peer(p.neighborAddress(),
        p.peerAsn(), p.state().name(), p.accepted(), p.advertised())).toList();
    List<SpeakerStatus.AnnouncedRoute> announced = a.announced().stream().map(r -> new SpeakerStatus.AnnouncedRoute(
        r.prefix().toString(), Addresses.toText(r.nextHop()),
        r.med().isPresent() ? Optional.of(r.med().getAsLong()) : Optional.<Long>empty())).toList();
    String advertised = decided ? advertisement.toString()
        : "undecided (gobgpd keeps what it holds until the check decides)";
    return new SpeakerStatus(c.node(), healthStatus, advertised,
        new SpeakerStatus.Gobgpd(c.gobgpd().address(), a.connected(), a.inSync(), a.lastError()), peers, announced,
        lastReload);
  }

  private void registerMetrics() {
    metrics.family("lb_speaker_health_state", "1 for the health check's current state", "gauge", s -> {
      HealthCheck h = health;
      HealthState current = h == null ? HealthState.INIT : h.status().state();
      for (HealthState state : HealthState.values()) {
        s.sample("lb_speaker_health_state", List.of("state", state.name()), state == current ? 1 : 0);
      }
    });
    metrics.gauge("lb_speaker_announcing", "1 while the health state asks for the prefixes to be announced",
        () -> advertisement instanceof Advertisement.Announce ? 1 : 0);
    metrics.gauge("lb_speaker_routes_announced", "Routes gobgpd holds from this speaker",
        () -> announcer.status().announced().size());
    metrics.gauge("lb_speaker_gobgpd_connected", "1 while gobgpd answers", () -> announcer.status().connected() ? 1 : 0);
    metrics.gauge("lb_speaker_gobgpd_in_sync", "1 while gobgpd holds what the speaker wants",
        () -> announcer.status().inSync() ? 1 : 0);
    metrics.family("lb_speaker_peer_established", "1 while the BGP session with the peer is established", "gauge",
        s -> {
          for (PeerStatus p : announcer.status().peers()) {
            s.sample("lb_speaker_peer_established", List.of("peer", p.neighborAddress()), p.established() ? 1 : 0);
          }
        });
  }

  /** The human view of a status JSON ({@code bgp-speaker status}). */
  public static String render(String json) throws IOException {
    return StatusView.render(ConfigLoader.json().readValue(json, SpeakerStatus.class));
  }

  /** Blocks until {@link #close} has finished. */
  @Override
  public void awaitShutdown() throws InterruptedException {
    closing.await();
  }

  /**
   * Stops the check (EXIT), withdraws every route this speaker announced (each by its path; waits up to 5 s for
   * gobgpd to confirm), then stops the announcer and the admin endpoint. Idempotent.
   */
  @Override
  public void close() {
    if (!closing.begin()) {
      return;
    }
    try {
      if (configWatch != null) {
        configWatch.close();
      }
      HealthCheck h = health;
      if (h != null) {
        h.close();
      }
      try {
        announcer.withdrawAll().get(WITHDRAW_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("withdrew every route");
      } catch (ExecutionException | TimeoutException e) {
        LOG.warning("could not confirm the withdrawals (" + e.getMessage() + "); gobgpd may still announce them");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      announcer.close();
      client.close();
      if (admin != null) {
        admin.close();
      }
      LOG.info("stopped");
    } finally {
      closing.finished();
    }
  }
}
