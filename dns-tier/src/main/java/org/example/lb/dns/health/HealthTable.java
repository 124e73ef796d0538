package org.example.lb.dns.health;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.example.lb.common.flags.SerialExecutor;
import org.example.lb.common.health.CheckScheduler;
import org.example.lb.common.health.CheckSettings;
import org.example.lb.common.health.PeriodicCheck;
import org.example.lb.common.health.Probe;

/**
 * Every monitored address and service type of a node, with its state: gdnsd's monitoring core ({@code mon.c}).
 *
 * <p>Each {@link MonitorSpec} is monitored once however many resources list it: http_status and tcp_connect run the
 * common probes ({@link Probe#httpGet}, {@link Probe#tcpConnect}) every interval on virtual threads
 * ({@link PeriodicCheck}) and count the results with gdnsd's thresholds ({@link AntiFlap}); extfile monitors read
 * their {@link ExtFile}; static ones never change. The first result sets the state (gdnsd's initial round), whose
 * completion {@link #add} reports. The admin_state file ({@link AdminStateFile}) forces states over the real ones.
 *
 * <p>Every change runs on one serial executor; each publishes a new immutable {@link HealthSnapshot} (one reference
 * write) and, when a state or TTL changed, hands it to the subscriber (the node's resources), on the same executor.
 * Unlike gdnsd, which swaps its state table at most once a second, a change is published at once.
 */
public final class HealthTable implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(HealthTable.class.getName());

  private final SerialExecutor serial = new SerialExecutor(Executors.newVirtualThreadPerTaskExecutor());
  private final CheckScheduler scheduler;
  private final Clock clock;
  private final AtomicReference<HealthSnapshot> snapshot = new AtomicReference<>(HealthSnapshot.EMPTY);
  private final LongAdder badLines = new LongAdder();
  private final LongAdder halfWritten = new LongAdder();
  private final LongAdder adminRejected = new LongAdder();
  // touched only on serial
  private final Map<String, Monitor> monitors = new LinkedHashMap<>();
  private final Map<String, ExtFile> extFiles = new HashMap<>();
  private List<AdminStateFile.Forcing> overrides = List.of();
  private Set<String> resourceKeys = Set.of();
  private Consumer<HealthSnapshot> subscriber = s -> { };
  private AdminStateFile adminState;
  private long version;
  private boolean closed;
  /** Inside {@link #batch}: results are published together at its end. */
  private boolean batching;
  private boolean batchObserved;
  private boolean batchChanged;

  private HealthTable(CheckScheduler scheduler, Clock clock) {
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /**
   * An empty table, watching {@code adminStateFile} (which need not exist).
   *
   * @param scheduler the timer of checks (tests drive time with their own)
   */
  public static HealthTable start(Path adminStateFile, CheckScheduler scheduler, Clock clock) {
    HealthTable t = new HealthTable(scheduler, clock);
    t.await(t.call(() -> {
      t.adminState = AdminStateFile.watch(adminStateFile, scheduler, t.serial, t::override,
          t.adminRejected::increment);
      return null;
    }), Duration.ofSeconds(10));
    return t;
  }

  /** The states now. */
  public HealthSnapshot snapshot() {
    return snapshot.get();
  }

  /**
   * Starts monitoring each spec not monitored yet (one whose service type changed is started again) and matches
   * admin_state lines against {@code resources} too; monitors not listed keep running until {@link #retain}.
   *
   * @return completes when every new monitor has its first result (gdnsd's initial round)
   */
  public CompletableFuture<Void> add(List<MonitorSpec> specs, Set<String> resources) {
    CompletableFuture<List<CompletableFuture<Void>>> started = call(() -> {
      List<CompletableFuture<Void>> first = new ArrayList<>();
      boolean wasEmpty = monitors.isEmpty() && resourceKeys.isEmpty();
      for (MonitorSpec spec : specs) {
        Monitor m = monitors.get(spec.name());
        if (m != null && m.spec.equals(spec)) {
          continue;
        }
        if (m != null) {
          stop(m);
        }
        first.add(start(spec).firstResult);
      }
      Set<String> keys = new HashSet<>(resourceKeys);
      keys.addAll(resources);
      resourceKeys = Set.copyOf(keys);
      if (wasEmpty) {
        warnUnmatched(); // the admin_state file was read before anything was monitored
      }
      publish(true);
      return first;
    });
    return started.thenCompose(first -> CompletableFuture.allOf(first.toArray(new CompletableFuture<?>[0])));
  }

  /** Stops every monitor not in {@code specs}; admin_state lines match only {@code resources} from now on. */
  public CompletableFuture<Void> retain(List<MonitorSpec> specs, Set<String> resources) {
    return call(() -> {
      Set<String> keep = new HashSet<>();
      specs.forEach(s -> keep.add(s.name()));
      for (Monitor m : List.copyOf(monitors.values())) {
        if (!keep.contains(m.name)) {
          stop(m);
        }
      }
      resourceKeys = Set.copyOf(resources);
      publish(true);
      return null;
    });
  }

  /**
   * Makes {@code listener} the one subscriber (replacing the previous one) and calls it at once with the current
   * snapshot, then after every change of a state or TTL; always on the table's serial executor.
   *
   * @return completes after that first call
   */
  public CompletableFuture<Void> subscribe(Consumer<HealthSnapshot> listener) {
    return call(() -> {
      subscriber = listener;
      listener.accept(snapshot.get());
      return null;
    });
  }

  /** Extfile lines skipped as malformed. */
  public long badLines() {
    return badLines.sum();
  }

  /** Extfile versions read as they were, still empty or without a final newline after waiting. */
  public long halfWrittenFiles() {
    return halfWritten.sum();
  }

  /** admin_state versions ignored for a malformed line. */
  public long adminStateRejected() {
    return adminRejected.sum();
  }

  /** The admin_state file watched. */
  public Path adminStateFile() {
    return adminState.file();
  }

  // ---- on serial ----

  void execute(Runnable task) {
    serial.execute(task);
  }

  void badLine() {
    badLines.increment();
  }

  void halfWrittenFile() {
    halfWritten.increment();
  }

  private Monitor start(MonitorSpec spec) {
    Monitor m = new Monitor(spec);
    monitors.put(m.name, m);
    ServiceType t = spec.type();
    switch (t.plugin()) {
      case STATIC -> observed(m, t.fixedState(), "static");
      case HTTP_STATUS, TCP_CONNECT -> {
        InetSocketAddress target = new InetSocketAddress(spec.address(), t.port());
        Probe probe = t.plugin() == ServiceType.Plugin.TCP_CONNECT ? Probe.tcpConnect(target)
            : Probe.httpGet(target, t.urlPath(), t.vhost(), Set.copyOf(t.okCodes()));
        // rise and fall 1: every result goes to gdnsd's counters, which alone decide
        m.check = PeriodicCheck.start(m.name, probe, new CheckSettings(t.interval(), t.timeout(), 1, 1, false),
            scheduler, serial, (result, up, changed) -> {
              if (monitors.get(m.name) == m) {
                observed(m, m.antiFlap.record(result.ok()), result.toString());
              }
            });
      }
      case EXTFILE -> {
        Path file = t.extFile(spec.extDirectory());
        ExtFile f = extFiles.get(spec.serviceTypeName());
        if (f != null && !(f.file().equals(file) && f.type().equals(t))) { // the service type changed: a new reader
          f.close();
          f = null;
        }
        if (f == null) {
          f = ExtFile.start(spec.serviceTypeName(), t, file, this, scheduler, serial);
          extFiles.put(spec.serviceTypeName(), f);
        }
        f.add(m);
      }
    }
    return m;
  }

  private void stop(Monitor m) {
    monitors.remove(m.name);
    m.close();
    if (m.extFile != null && m.extFile.remove(m)) {
      m.extFile.close();
      extFiles.values().remove(m.extFile);
    }
    m.firstResult.complete(null);
  }

  /** A monitor's new state (or the same, with a new check result). */
  void observed(Monitor m, HealthState state, String check) {
    if (closed || monitors.get(m.name) != m) {
      return;
    }
    m.lastCheck = check;
    boolean changed = !state.equals(m.real) || m.since == null;
    if (m.since == null || state.down() != m.real.down()) {
      if (m.since != null) {
        LOG.info("state of " + m.name + " changed from " + m.real + " to " + state + " (" + check + ")"
            + forcedNote(m.name));
      } else {
        LOG.info("state of " + m.name + " initialized to " + state + " (" + check + ")");
      }
      m.since = clock.instant();
    }
    m.real = state;
    if (batching) {
      batchObserved = true;
      batchChanged |= changed;
      return; // firstResult too: the batch's states are published before anyone is told
    }
    m.firstResult.complete(null);
    publish(changed);
  }

  /**
   * Runs {@code results} (calls of {@link #observed}, from one version of an extfile or one round of checks) and
   * publishes their states as one snapshot, as gdnsd applies a file whole: resources never see half of a version.
   */
  void batch(List<Monitor> which, Runnable results) {
    batching = true;
    try {
      results.run();
    } finally {
      batching = false;
    }
    if (batchObserved) {
      boolean changed = batchChanged;
      batchObserved = false;
      batchChanged = false;
      publish(changed);
    }
    which.forEach(m -> m.firstResult.complete(null));
  }

  private String forcedNote(String name) {
    Optional<HealthState> forced = forced(name);
    return forced.map(f -> ", effective state remains forced to " + f).orElse("");
  }

  private void override(List<AdminStateFile.Forcing> next) {
    if (closed) {
      return;
    }
    overrides = next;
    warnUnmatched();
    publish(true);
  }

  /** Warns of each admin_state line matching no monitor and no resource (once there are some: not at start). */
  private void warnUnmatched() {
    if (monitors.isEmpty() && resourceKeys.isEmpty()) {
      return;
    }
    for (AdminStateFile.Forcing o : overrides) {
      if (monitors.keySet().stream().noneMatch(o.glob()::matches) && resourceKeys.stream()
          .noneMatch(o.glob()::matches)) {
        LOG.warning(adminState.file() + ":" + o.line() + ": " + o.glob().text() + " matches nothing");
      }
    }
  }

  /** The state the last matching admin_state line forces on {@code key}. */
  private Optional<HealthState> forced(String key) {
    HealthState found = null;
    for (AdminStateFile.Forcing o : overrides) {
      if (o.glob().matches(key)) {
        found = o.state();
      }
    }
    return Optional.ofNullable(found);
  }

  private void publish(boolean notify) {
    Map<String, MonitorStatus> states = new LinkedHashMap<>();
    for (Monitor m : monitors.values()) {
      states.put(m.name, m.status(forced(m.name)));
    }
    Map<String, HealthState> forcedResources = new HashMap<>();
    for (String key : resourceKeys) {
      forced(key).ifPresent(s -> forcedResources.put(key, s));
    }
    HealthSnapshot next = new HealthSnapshot(states, forcedResources, ++version);
    snapshot.set(next);
    if (notify) {
      subscriber.accept(next);
    }
  }

  private <T> CompletableFuture<T> call(java.util.concurrent.Callable<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    serial.execute(() -> {
      try {
        f.complete(task.call());
      } catch (Exception | Error e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  private <T> T await(CompletableFuture<T> f, Duration timeout) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("health table busy for " + timeout, e);
    }
  }

  /** Stops every monitor and watch; no subscriber call starts after this returns. */
  @Override
  public void close() {
    CompletableFuture<List<Monitor>> stopping = call(() -> {
      closed = true;
      List<Monitor> all = List.copyOf(monitors.values());
      monitors.clear();
      extFiles.values().forEach(ExtFile::close);
      extFiles.clear();
      if (adminState != null) {
        adminState.close();
      }
      return all;
    });
    for (Monitor m : await(stopping, Duration.ofSeconds(10))) {
      m.close(); // waits for a probe in flight: off the serial executor, where its result would be delivered
    }
  }
}
