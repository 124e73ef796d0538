package org.example.lb.l7.control;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.example.lb.common.flags.SerialExecutor;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.l7.agent.AgentReply;
import org.example.lb.l7.runtime.AgentState;
import org.example.lb.l7.runtime.RuntimeApiException;
import org.example.lb.l7.runtime.RuntimeSocket;
import org.example.lb.l7.runtime.ServerAdminState;
import org.example.lb.l7.runtime.Weight;

/**
 * Pushes every reported state change into HAProxy through the runtime API at once, instead of waiting for
 * HAProxy's next agent check.
 *
 * <p><b>One source of truth.</b> A server's state comes from its own flag file, relayed by its agent: HAProxy's
 * agent check reads it every agent interval, and this controller receives the same reply as soon as it changes
 * (agent watch protocol) and applies it. Both therefore set the same state; the controller only gets there
 * first. The one time they would disagree is the drain workflow, during which the controller disables HAProxy's
 * agent check of that server and re-enables it when done.
 *
 * <p><b>Drain workflow.</b> When a server reports {@code maint}, the controller sets it to DRAIN (no new
 * sessions; existing ones continue), waits until its current sessions reach 0 or {@code drainTimeout} passes,
 * then sets MAINT. A new report during the workflow cancels it.
 *
 * <p><b>Node maintenance.</b> The node's own reply (its {@code /etc/lb/agent-check}) is applied to the
 * maintenance server, so the node's /healthcheck fails at once and upstream checkers drain the node.
 *
 * <p>All state is confined to one {@link SerialExecutor}; a timer only posts ticks to it. If HAProxy does not
 * answer ({@link RuntimeApiException}), the change stays pending and the periodic reconciliation re-applies it.
 */
public final class Controller implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Controller.class.getName());

  private final RuntimeSocket haproxy;
  private final SerialExecutor serial;
  private final ScheduledExecutorService timer;
  private final LongSupplier nanoClock;
  private final Duration drainTimeout;
  private final Duration drainPoll;
  private final Map<Key, Target> targets = new LinkedHashMap<>();
  private final Metrics.Counter applied;
  private final Metrics.Counter failures;
  private final Metrics.Counter drainsCompleted;
  private final Metrics.Counter drainsTimedOut;
  private ScheduledFuture<?> reconcileTask;

  /** A server of a backend. */
  public record Key(String backend, String server) {
    @Override
    public String toString() {
      return backend + "/" + server;
    }
  }

  private enum Phase { IDLE, DRAINING }

  /** Everything the controller knows about one server; touched only on the serial executor. */
  private static final class Target {
    final Key key;
    final boolean drainsBeforeMaint;
    AgentReply reported;
    boolean pending; // reported but not yet (successfully) applied
    Phase phase = Phase.IDLE;
    long drainDeadline;
    ScheduledFuture<?> drainTimer;
    boolean agentCheckDisabled;
    String lastError = "";

    Target(Key key, boolean drainsBeforeMaint) {
      this.key = key;
      this.drainsBeforeMaint = drainsBeforeMaint;
    }
  }

  private Controller(RuntimeSocket haproxy, Duration drainTimeout, Duration drainPoll, LongSupplier nanoClock,
      Metrics metrics) {
    this.haproxy = haproxy;
    this.drainTimeout = drainTimeout;
    this.drainPoll = drainPoll;
    this.nanoClock = nanoClock;
    this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("controller-timer").factory());
    this.serial = new SerialExecutor(Executors.newVirtualThreadPerTaskExecutor());
    this.applied = metrics.counter("lb_controller_changes_applied_total", "State changes pushed to HAProxy");
    this.failures = metrics.counter("lb_controller_runtime_failures_total", "Runtime API calls that failed");
    this.drainsCompleted = metrics.counter("lb_controller_drains_completed_total",
        "Drain workflows that reached 0 sessions before the deadline");
    this.drainsTimedOut = metrics.counter("lb_controller_drains_timed_out_total",
        "Drain workflows that hit the deadline with sessions left");
    metrics.family("lb_controller_draining", "1 while a server is in the drain workflow", "gauge",
        out -> snapshot().forEach(s -> out.sample("lb_controller_draining",
            List.of("backend", s.key().backend(), "server", s.key().server()), s.draining() ? 1 : 0)));
  }

  /**
   * Creates a controller.
   *
   * @param servers the servers whose agents report to it (drain workflow applies)
   * @param self the node's maintenance server (no drain workflow), if any
   * @param reconcileInterval how often the controller re-applies what HAProxy may have lost (reload, restart)
   */
  public static Controller create(RuntimeSocket haproxy, List<Key> servers, Optional<Key> self, Duration drainTimeout,
      Duration reconcileInterval, Metrics metrics) {
    return create(haproxy, servers, self, drainTimeout, Duration.ofMillis(100), reconcileInterval, System::nanoTime,
        metrics);
  }

  static Controller create(RuntimeSocket haproxy, List<Key> servers, Optional<Key> self, Duration drainTimeout,
      Duration drainPoll, Duration reconcileInterval, LongSupplier nanoClock, Metrics metrics) {
    Controller c = new Controller(haproxy, drainTimeout, drainPoll, nanoClock, metrics);
    servers.forEach(k -> c.targets.put(k, new Target(k, true)));
    self.ifPresent(k -> c.targets.put(k, new Target(k, false)));
    long every = reconcileInterval.toMillis();
    c.reconcileTask = c.timer.scheduleWithFixedDelay(() -> c.serial.execute(c::reconcile), every, every,
        TimeUnit.MILLISECONDS);
    return c;
  }

  /** A server's agent reported a reply (or the node's own flag changed, for the maintenance server). */
  public void report(Key key, AgentReply reply) {
    serial.execute(() -> onReport(key, reply));
  }

  /** Re-applies every known state; runs periodically and after HAProxy reloads. */
  public void reconcileNow() {
    serial.execute(this::reconcile);
  }

  /** Runs {@code task} on the controller's serial executor, after every change already submitted. */
  public CompletableFuture<Void> runSerially(Runnable task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    serial.execute(() -> {
      try {
        task.run();
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /** A consistent copy of the controller's state, for status views. */
  public List<TargetStatus> snapshot() {
    CompletableFuture<List<TargetStatus>> f = new CompletableFuture<>();
    serial.execute(() -> f.complete(targets.values().stream()
        .map(t -> new TargetStatus(t.key, Optional.ofNullable(t.reported), t.phase == Phase.DRAINING, t.pending,
            t.lastError))
        .toList()));
    try {
      return f.get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      return List.of();
    }
  }

  /** One server as the controller sees it. */
  public record TargetStatus(Key key, Optional<AgentReply> reported, boolean draining, boolean pending,
      String lastError) {}

  private void onReport(Key key, AgentReply reply) {
    Target t = targets.get(key);
    if (t == null) {
      LOG.warning("report for unknown server " + key + " ignored");
      return;
    }
    if (reply.equals(t.reported) && !t.pending) {
      return;
    }
    t.reported = reply;
    t.pending = true;
    if (t.phase == Phase.DRAINING && !isMaint(reply)) {
      LOG.info(key + ": drain workflow cancelled by a new report: " + reply.encode().trim());
      endDrain(t);
    }
    apply(t);
  }

  private void apply(Target t) {
    AgentReply r = t.reported;
    try {
      if (t.drainsBeforeMaint && isMaint(r) && t.phase == Phase.IDLE && adminOf(t) != ServerAdminState.MAINT) {
        startDrain(t);
      }
      if (t.phase == Phase.DRAINING) {
        if (!t.agentCheckDisabled) {
          haproxy.disableAgent(t.key.backend(), t.key.server()); // its agent check would jump straight to MAINT
          t.agentCheckDisabled = true;
        }
        applyDimensions(t, ServerAdminState.DRAIN); // weight and maxconn may still change while draining
        return;
      }
      applyDimensions(t, admin(r));
      t.pending = false;
      t.lastError = "";
      applied.increment();
      LOG.info(t.key + ": applied " + r.encode().trim());
    } catch (RuntimeException e) {
      failed(t, e);
    }
  }

  /**
   * Sets weight, maxconn and {@code admin}, and the agent's up/down unless the agent check is disabled (HAProxy
   * refuses {@code set server agent} then; once re-enabled, the agent check applies up/down itself).
   */
  private void applyDimensions(Target t, ServerAdminState admin) {
    AgentReply r = t.reported;
    String b = t.key.backend();
    String s = t.key.server();
    if (!t.agentCheckDisabled) {
      haproxy.setServerAgent(b, s, isUp(r) ? AgentState.UP : AgentState.DOWN);
    }
    haproxy.setServerWeight(b, s, Weight.percent(r.weightPercent()));
    haproxy.setServerMaxconn(b, s, r.maxconn());
    haproxy.setServerState(b, s, admin);
  }

  /**
   * Enters the drain workflow. Its timer starts first, so the workflow ends (MAINT at the latest at the deadline)
   * even if the runtime calls that follow fail and are retried by {@link #reconcile}.
   */
  private void startDrain(Target t) {
    t.phase = Phase.DRAINING;
    t.drainDeadline = nanoClock.getAsLong() + drainTimeout.toNanos();
    scheduleDrainCheck(t);
    applied.increment();
    LOG.info(t.key + ": maint requested: draining first (up to " + drainTimeout.toMillis() + " ms)");
  }

  private void scheduleDrainCheck(Target t) {
    t.drainTimer = timer.schedule(() -> serial.execute(() -> drainCheck(t)), drainPoll.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** One step of the drain workflow; package-private so tests can drive it with an injected clock. */
  void drainCheck(Target t) {
    if (t.phase != Phase.DRAINING) {
      return;
    }
    try {
      long sessions = sessionsOf(t);
      boolean expired = nanoClock.getAsLong() - t.drainDeadline >= 0;
      if (sessions > 0 && !expired) {
        scheduleDrainCheck(t);
        return;
      }
      if (sessions == 0) {
        drainsCompleted.increment();
        LOG.info(t.key + ": drained (0 sessions): entering MAINT");
      } else {
        drainsTimedOut.increment();
        LOG.warning(t.key + ": drain deadline reached with " + sessions + " sessions left: entering MAINT");
      }
      haproxy.setServerState(t.key.backend(), t.key.server(), ServerAdminState.MAINT);
      endDrain(t);
      t.pending = false;
      t.lastError = "";
      if (!t.agentCheckDisabled) {
        haproxy.setServerAgent(t.key.backend(), t.key.server(), isUp(t.reported) ? AgentState.UP : AgentState.DOWN);
      }
    } catch (RuntimeException e) {
      failed(t, e);
      if (t.phase == Phase.DRAINING) {
        scheduleDrainCheck(t);
      }
    }
  }

  private void endDrain(Target t) {
    if (t.drainTimer != null) {
      t.drainTimer.cancel(false);
      t.drainTimer = null;
    }
    t.phase = Phase.IDLE;
    if (t.agentCheckDisabled) {
      try {
        haproxy.enableAgent(t.key.backend(), t.key.server());
        t.agentCheckDisabled = false;
      } catch (RuntimeException e) {
        failed(t, e); // retried by reconcile
      }
    }
  }

  private void reconcile() {
    for (Target t : targets.values()) {
      if (t.reported == null) {
        continue;
      }
      if (t.phase == Phase.IDLE && t.agentCheckDisabled) {
        endDrain(t);
      }
      if (t.pending) {
        apply(t);
        continue;
      }
      if (t.phase == Phase.IDLE) {
        try {
          ServerAdminState want = admin(t.reported);
          ServerAdminState have = adminOf(t);
          if (want != have) {
            LOG.info(t.key + ": HAProxy shows " + have + ", expected " + want + ": re-applying");
            t.pending = true;
            apply(t);
          }
        } catch (RuntimeException e) {
          failed(t, e);
        }
      }
    }
  }

  private ServerAdminState adminOf(Target t) {
    return haproxy.showServersState(t.key.backend()).server(t.key.backend(), t.key.server())
        .orElseThrow(() -> new IllegalStateException("HAProxy has no server " + t.key))
        .adminState().effective();
  }

  private long sessionsOf(Target t) {
    return haproxy.showStat().stream()
        .filter(row -> row.pxname().equals(t.key.backend()) && row.svname().equals(t.key.server()))
        .findFirst()
        .flatMap(row -> row.scur().isPresent() ? Optional.of(row.scur().getAsLong()) : Optional.empty())
        .orElseThrow(() -> new IllegalStateException("HAProxy has no server " + t.key));
  }

  private void failed(Target t, RuntimeException e) {
    failures.increment();
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    if (!message.equals(t.lastError)) {
      LOG.warning(t.key + ": runtime API call failed (will retry): " + message);
    }
    t.lastError = message;
    t.pending = true;
  }

  private static boolean isMaint(AgentReply r) {
    return r.administrative() == AgentReply.Administrative.MAINT;
  }

  private static boolean isUp(AgentReply r) {
    return r.operational() == AgentReply.Operational.UP;
  }

  private static ServerAdminState admin(AgentReply r) {
    return switch (r.administrative()) {
      case READY -> ServerAdminState.READY;
      case DRAIN -> ServerAdminState.DRAIN;
      case MAINT -> ServerAdminState.MAINT;
    };
  }

  @Override
  public void close() {
    if (reconcileTask != null) {
      reconcileTask.cancel(false);
    }
    timer.shutdownNow();
  }
}
