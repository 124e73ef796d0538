package org.example.lb.bgp.gobgp;

import apipb.Gobgp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.example.lb.common.config.Addresses;

/**
 * The {@link Announcer}: every field below {@code loop} is confined to that one thread; {@link #status} is the only
 * state other threads read.
 */
final class ReconcilingAnnouncer implements Announcer {
  private static final Logger LOG = Logger.getLogger(Announcer.class.getName());
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

  private final GobgpClient client;
  private final AnnouncerSettings settings;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gobgp-announcer");
    t.setDaemon(true);
    return t;
  });
  private volatile AnnouncerStatus status =
      new AnnouncerStatus(false, false, Optional.empty(), List.of(), List.of());
  private volatile boolean closed;

  // ---- confined to `loop` ----
  private final Map<Prefix, Route> wanted = new LinkedHashMap<>();
  /** False until the first announce, withdraw or withdrawAll: until then gobgpd's local routes are adopted as is. */
  private boolean routesDecided;
  private List<PeerSettings> peers;
  private boolean syncQueued;
  private ScheduledFuture<?> nextSync;
  private int failures;
  private AutoCloseable watch;
  private long watchStartedNanos;
  private Optional<String> reportedError = Optional.empty();
  /** The local routes gobgpd held after the last successful round; empty until one succeeded or after a failure. */
  private Optional<Map<Prefix, Route>> lastHeld = Optional.empty();

  ReconcilingAnnouncer(GobgpClient client, AnnouncerSettings settings) {
    this.client = client;
    this.settings = settings;
    this.peers = settings.peers();
    this.watchStartedNanos = System.nanoTime() - settings.resyncInterval().toNanos(); // nanoTime may be negative
    submit(() -> {});
  }

  @Override
  public void announce(Route route) {
    submit(() -> {
      routesDecided = true;
      wanted.put(route.prefix(), route);
    });
  }

  @Override
  public void setRoutes(List<Route> routes) {
    Map<Prefix, Route> next = new LinkedHashMap<>();
    for (Route r : routes) {
      if (next.put(r.prefix(), r) != null) {
        throw new IllegalArgumentException("routes: " + r.prefix() + " twice (expected: at most one route per prefix)");
      }
    }
    submit(() -> {
      routesDecided = true;
      wanted.clear();
      wanted.putAll(next);
    });
  }

  @Override
  public void withdraw(Prefix prefix) {
    submit(() -> {
      routesDecided = true;
      wanted.remove(prefix);
    });
  }

  @Override
  public void setPeers(List<PeerSettings> next) {
    List<PeerSettings> copy = AnnouncerSettings.of(settings.global(), next).peers(); // validated like the first ones
    submit(() -> peers = copy);
  }

  @Override
  public CompletableFuture<Void> withdrawAll() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    run(done, () -> {
      routesDecided = true;
      wanted.clear();
      sync();
      AnnouncerStatus s = status;
      if (s.inSync()) {
        done.complete(null);
      } else {
        done.completeExceptionally(new GobgpException(
            s.lastError().orElse("gobgpd at " + client.target() + " still holds routes"), !s.connected(), null));
      }
    });
    return done;
  }

  @Override
  public CompletableFuture<AnnouncerStatus> flush() {
    CompletableFuture<AnnouncerStatus> done = new CompletableFuture<>();
    run(done, () -> {
      sync();
      done.complete(status);
    });
    return done;
  }

  @Override
  public AnnouncerStatus status() {
    return status;
  }

  /** Runs a change on the loop, then one attempt after every change queued meanwhile. */
  private void submit(Runnable change) {
    run(null, () -> {
      change.run();
      if (!syncQueued) {
        syncQueued = true;
        loop.execute(this::sync);
      }
    });
  }

  private void run(CompletableFuture<?> failIfRejected, Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      if (failIfRejected != null) {
        failIfRejected.completeExceptionally(new IllegalStateException("announcer closed"));
      }
    }
  }

  // ---- on `loop` ----

  private void sync() {
    syncQueued = false;
    if (nextSync != null) {
      nextSync.cancel(false);
      nextSync = null;
    }
    if (closed) {
      return;
    }
    List<PeerStatus> peerStatus = status.peers();
    try {
      if (lastHeld.isPresent()) {
        applyChanges(lastHeld.get()); // the change first: a withdrawal must not wait for the read-back below
      }
      ensureGlobal();
      peerStatus = ensurePeers();
      Map<Prefix, Route> held = ensureRoutes();
      lastHeld = Optional.of(held);
      ensureWatch();
      boolean inSync = held.equals(wanted);
      status = new AnnouncerStatus(true, inSync, Optional.empty(), peerStatus, List.copyOf(held.values()));
      if (reportedError.isPresent()) {
        LOG.info("gobgpd at " + client.target() + " answers again; it holds " + held.size() + " routes from us");
        reportedError = Optional.empty();
      }
      failures = 0;
      schedule(settings.resyncInterval());
    } catch (GobgpException e) {
      lastHeld = Optional.empty();
      status = new AnnouncerStatus(!e.unavailable(), false, Optional.of(e.getMessage()), peerStatus,
          status.announced());
      if (!reportedError.equals(Optional.of(e.getMessage()))) {
        LOG.warning(e.getMessage() + "; retrying");
        reportedError = Optional.of(e.getMessage());
      }
      failures++;
      long backoff = Math.min(FIRST_BACKOFF.toMillis() << Math.min(failures, 16), settings.maxBackoff().toMillis());
      schedule(Duration.ofMillis(backoff));
    }
  }

  private void schedule(Duration after) {
    if (!closed) {
      nextSync = loop.schedule(this::sync, after.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void ensureGlobal() throws GobgpException {
    GlobalSettings want = settings.global();
    Optional<GlobalSettings> running = client.global();
    if (running.isEmpty()) {
      client.start(want);
      LOG.info("started BGP on gobgpd at " + client.target() + ": AS " + want.asn() + ", router id "
          + want.routerId().getHostAddress());
    } else if (running.get().asn() != want.asn() || !running.get().routerId().equals(want.routerId())) {
      throw new GobgpException("gobgpd at " + client.target() + " runs AS " + running.get().asn() + " router id "
          + running.get().routerId().getHostAddress() + ", not AS " + want.asn() + " router id "
          + want.routerId().getHostAddress() + " (expected: the configured instance; restart gobgpd to change it)",
          false, null);
    }
  }

  private List<PeerStatus> ensurePeers() throws GobgpException {
    List<Gobgp.Peer> listed = client.listPeerMessages();
    Map<String, Gobgp.Peer> byAddress = new HashMap<>();
    listed.forEach(p -> byAddress.put(p.getConf().getNeighborAddress(), p));
    boolean changed = false;
    List<String> keep = new ArrayList<>();
    for (PeerSettings p : peers) {
      String address = Addresses.toText(p.neighborAddress());
      keep.add(address);
      Gobgp.Peer present = byAddress.get(address);
      if (present != null && PeerCodec.matches(present, p)) {
        continue;
      }
      if (present != null) {
        client.deletePeer(address);
        LOG.info("peer " + address + " reconfigured");
      }
      client.addPeer(p);
      LOG.info("peer " + address + " AS " + p.peerAsn() + " added (hold " + p.holdTime().toSeconds() + "s, keepalive "
          + p.keepalive().toSeconds() + "s)");
      changed = true;
    }
    for (String address : byAddress.keySet()) {
      if (!keep.contains(address)) {
        client.deletePeer(address);
        LOG.info("peer " + address + " deleted (not configured)");
        changed = true;
      }
    }
    if (changed) {
      listed = client.listPeerMessages();
    }
    return listed.stream().map(GobgpClient::status).toList();
  }

  /** Makes gobgpd's locally originated routes equal to {@link #wanted}; returns what it holds afterwards. */
  private Map<Prefix, Route> ensureRoutes() throws GobgpException {
    Map<Prefix, Route> held = localRoutes();
    return applyChanges(held) ? localRoutes() : held;
  }

  /** Withdraws the routes of {@code held} no longer wanted and announces the wanted ones it lacks; whether any. */
  private boolean applyChanges(Map<Prefix, Route> held) throws GobgpException {
    if (!routesDecided) {
      return false; // nothing asked yet: what gobgpd holds (from an earlier speaker process) stays
    }
    boolean changed = false;
    for (Route r : List.copyOf(held.values())) {
      if (!wanted.containsKey(r.prefix())) {
        client.withdraw(r);
        LOG.info("withdrew " + r.prefix());
        changed = true;
      }
    }
    for (Route r : wanted.values()) {
      if (!r.equals(held.get(r.prefix()))) {
        client.announce(r);
        LOG.info("announced " + r);
        changed = true;
      }
    }
    return changed;
  }

  private Map<Prefix, Route> localRoutes() throws GobgpException {
    Map<Prefix, Route> held = new LinkedHashMap<>();
    for (RibPath p : client.paths()) {
      if (p.isLocal()) {
        held.put(p.route().prefix(), p.route());
      }
    }
    return held;
  }

  private void ensureWatch() {
    if (watch != null || System.nanoTime() - watchStartedNanos < settings.resyncInterval().toNanos()) {
      return; // subscribed, or the last subscription ended at once: the periodic attempt subscribes again
    }
    watchStartedNanos = System.nanoTime();
    watch = client.watchPeers(() -> submit(() -> {}), why -> run(null, () -> {
      watch = null; // gobgpd went away: the next attempt (with backoff) subscribes again
      if (!closed) {
        submit(() -> {});
      }
    }));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    run(null, () -> {
      if (nextSync != null) {
        nextSync.cancel(false);
      }
      if (watch != null) {
        try {
          watch.close();
        } catch (Exception e) {
          LOG.fine("closing the event watch: " + e);
        }
      }
    });
    loop.shutdown();
    try {
      if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
        loop.shutdownNow();
      }
    } catch (InterruptedException e) {
      loop.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
