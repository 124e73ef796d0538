package org.example.lb.l4.health;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import org.example.lb.common.flags.SerialExecutor;
import org.example.lb.common.health.CheckScheduler;
import org.example.lb.common.health.CheckSettings;
import org.example.lb.common.health.PeriodicCheck;
import org.example.lb.common.health.Probe;
import org.example.lb.common.health.ProbeResult;
import org.example.lb.l4.forward.BackendState;

/**
 * Checks every LB7 twice, keepalived-style: an HTTP GET of {@code /healthcheck} expecting 200 and a TCP connect, both
 * to its infrastructure address and the configured port, each with its own rise/fall ({@link PeriodicCheck}). The
 * two combine ({@link #combine}) into a {@link BackendState}:
 * <ul>
 *   <li>HTTP up and TCP up: {@link BackendState#UP UP};</li>
 *   <li>HTTP down, TCP up: {@link BackendState#DRAINING DRAINING} (its HAProxy answers 503 in maintenance but still
 *       serves established connections: the director keeps its flows);</li>
 *   <li>TCP down: {@link BackendState#DOWN DOWN} (dead: its flows are rescheduled).</li>
 * </ul>
 * Every LB7 starts UP, or DOWN with {@link Lb7HealthConfig#startAllDown()}. Its two checks run in step (same
 * timing, started together) and its state is decided once both results of a round are in, so an LB7 that dies goes
 * from UP to DOWN without passing through DRAINING because its HTTP result came a moment before its TCP one, and the
 * detail of an event shows both results of the same round. A check more than one round behind the other (a probe
 * stuck past its timeout) no longer holds the decision back.
 *
 * <p>Results are counted and the {@link Listener} runs on a {@link SerialExecutor} over the given executor, one event
 * at a time, in order. {@link #status()} and {@link #state} may be read from any thread.
 */
public final class Lb7Health implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Lb7Health.class.getName());

  /** Receives every change of an LB7's state. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param name the LB7
     * @param from its state until now
     * @param to its new state
     * @param detail the last result of each check, e.g. {@code http HTTP 503, tcp connected}
     */
    void changed(String name, BackendState from, BackendState to, String detail);
  }

  private final Lb7HealthConfig config;
  private final CheckSettings settings;
  private final Clock clock;
  private final CheckScheduler scheduler;
  private final SerialExecutor serial;
  private final Listener listener;
  private final Map<String, Checked> checked = new ConcurrentHashMap<>(); // structure changed under this
  private volatile boolean closed;

  private Lb7Health(Lb7HealthConfig config, Clock clock, CheckScheduler scheduler, Executor executor,
      Listener listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.settings = config.checkSettings();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.serial = new SerialExecutor(Objects.requireNonNull(executor, "executor"));
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Starts checking {@code lb7s}; the first probes start at once.
   *
   * @param lb7s each LB7's name and the address it is checked at (its IPv4 infrastructure address if it has one)
   * @param clock for {@link Lb7Status#since()}
   * @param scheduler timers ({@link CheckScheduler#system()} in the service)
   * @param executor where the listener runs: the serialized executor of the state machine consuming the changes,
   *     or any executor
   */
  public static Lb7Health start(Lb7HealthConfig config, Map<String, InetAddress> lb7s, Clock clock,
      CheckScheduler scheduler, Executor executor, Listener listener) {
    Lb7Health health = new Lb7Health(config, clock, scheduler, executor, listener);
    health.retargetNow(Map.copyOf(lb7s));
    return health;
  }

  /**
   * HTTP up and TCP up: UP; HTTP down and TCP up: DRAINING; TCP down: DOWN (whatever HTTP says: a connection that
   * HTTP made may have been the last one).
   */
  public static BackendState combine(boolean httpUp, boolean tcpUp) {
    if (!tcpUp) {
      return BackendState.DOWN;
    }
    return httpUp ? BackendState.UP : BackendState.DRAINING;
  }

  /**
   * Checks exactly {@code lb7s} from now on (after a reload): LB7s no longer listed stop being checked (no event);
   * new ones start in the initial state; one whose address changed starts over as new; the others keep their state.
   * Runs at once, in the caller's thread.
   */
  public void retarget(Map<String, InetAddress> lb7s) {
    retargetNow(Map.copyOf(lb7s));
  }

  private synchronized void retargetNow(Map<String, InetAddress> lb7s) {
    if (closed) {
      return;
    }
    for (var it = checked.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      InetAddress wanted = lb7s.get(e.getKey());
      if (!e.getValue().address.equals(wanted)) {
        it.remove();
        e.getValue().close();
      }
    }
    for (var e : new TreeMap<>(lb7s).entrySet()) {
      if (!checked.containsKey(e.getKey())) {
        Checked c = new Checked(e.getKey(), e.getValue());
        checked.put(c.name, c);
        c.start(); // after the put: its first result must find it
      }
    }
  }

  /** An LB7's state now; empty for a name not checked. */
  public Optional<BackendState> state(String name) {
    Checked c = checked.get(name);
    return c == null ? Optional.empty() : Optional.of(c.status.state());
  }

  /** Every checked LB7's status, by name. */
  public SortedMap<String, Lb7Status> status() {
    SortedMap<String, Lb7Status> m = new TreeMap<>();
    for (Checked c : checked.values()) {
      m.put(c.name, c.status);
    }
    return m;
  }

  public Lb7HealthConfig config() {
    return config;
  }

  /** Stops every check (interrupting running probes); no listener call starts after this returns. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    List<Checked> all = new ArrayList<>(checked.values());
    checked.clear();
    for (Checked c : all) {
      c.close();
    }
  }

  /** One LB7's two checks and what they add up to. Mutable fields are touched only on {@link #serial}. */
  private final class Checked {
    final String name;
    final InetAddress address;
    private boolean httpUp;
    private boolean tcpUp;
    private long httpRounds; // results counted per check
    private long tcpRounds;
    private volatile Lb7Status status;
    private PeriodicCheck http; // set and closed under Lb7Health's lock
    private PeriodicCheck tcp;

    Checked(String name, InetAddress address) {
      this.name = name;
      this.address = address;
      this.httpUp = !settings.startDown();
      this.tcpUp = !settings.startDown();
      this.status = new Lb7Status(name, address, combine(httpUp, tcpUp), Optional.empty(), Optional.empty(),
          clock.instant());
    }

    void start() {
      InetSocketAddress target = new InetSocketAddress(address, config.port());
      this.http = PeriodicCheck.start(name + " http", Probe.httpGet(target, config.path()), settings, scheduler,
          serial, (result, up, changed) -> count(true, result, up));
      this.tcp = PeriodicCheck.start(name + " tcp", Probe.tcpConnect(target), settings, scheduler, serial,
          (result, up, changed) -> count(false, result, up));
    }

    private void count(boolean isHttp, ProbeResult result, boolean up) {
      if (closed || checked.get(name) != this) {
        return; // removed or replaced meanwhile
      }
      Lb7Status was = status;
      Optional<ProbeResult> lastHttp = isHttp ? Optional.of(result) : was.http();
      Optional<ProbeResult> lastTcp = isHttp ? was.tcp() : Optional.of(result);
      long mine;
      long other;
      if (isHttp) {
        httpUp = up;
        mine = ++httpRounds;
        other = tcpRounds;
      } else {
        tcpUp = up;
        mine = ++tcpRounds;
        other = httpRounds;
      }
      // Decide when this result completes its round, or when the other check has fallen more than a round behind.
      boolean decide = mine <= other || mine - other >= 2;
      BackendState next = decide ? combine(httpUp, tcpUp) : was.state();
      boolean changed = next != was.state();
      status = new Lb7Status(name, address, next, lastHttp, lastTcp, changed ? clock.instant() : was.since());
      if (changed) {
        String detail = detail(lastHttp, lastTcp);
        LOG.info(name + ": " + was.state() + " -> " + next + " (" + detail + ")");
        listener.changed(name, was.state(), next, detail);
      }
    }

    void close() {
      if (http != null) {
        http.close();
      }
      if (tcp != null) {
        tcp.close();
      }
    }
  }

  private static String detail(Optional<ProbeResult> http, Optional<ProbeResult> tcp) {
    return "http " + http.map(ProbeResult::detail).orElse("not checked yet")
        + ", tcp " + tcp.map(ProbeResult::detail).orElse("not checked yet");
  }
}
