package org.example.lb.common.health;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import org.example.lb.common.flags.SerialExecutor;

/**
 * Runs a {@link Probe} every {@link CheckSettings#interval() interval}, each on its own virtual thread with the
 * settings' timeout, feeds the results to a {@link RiseFall} and reports each one to a {@link Listener}.
 *
 * <p>The first probe starts at once. A probe still running when the next is due (a probe ignoring its timeout) makes
 * that one be skipped and counted ({@link #overruns()}), never run concurrently. Timers come from the given
 * {@link CheckScheduler} (tests drive time with their own). The listener runs on a {@link SerialExecutor} over the
 * given executor, one result at a time, in the order the probes finished; the rise/fall state is touched only
 * there. {@link #close()} cancels the timer and interrupts a running probe; no listener call starts after it
 * returns.
 */
public final class PeriodicCheck implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PeriodicCheck.class.getName());
  /** How long {@link #close()} waits for an interrupted probe's thread to end. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  /** Receives every result of one check. */
  @FunctionalInterface
  public interface Listener {
    /**
     * One probe finished.
     *
     * @param result what the probe saw
     * @param up the check's state after counting this result
     * @param changed whether this result changed the state (a transition: {@code up} is the new state)
     */
    void checked(ProbeResult result, boolean up, boolean changed);
  }

  private final String name;
  private final Probe probe;
  private final CheckSettings settings;
  private final CheckScheduler scheduler;
  private final SerialExecutor serial;
  private final Listener listener;
  private final RiseFall riseFall; // touched only on serial
  private volatile boolean up;
  private volatile ProbeResult last;
  private volatile boolean closed;
  private long overruns; // guarded by this
  private CheckScheduler.Cancellable nextTick; // guarded by this
  private Thread running; // guarded by this: the probe in flight

  private PeriodicCheck(String name, Probe probe, CheckSettings settings, CheckScheduler scheduler,
      Executor executor, Listener listener) {
    this.name = Objects.requireNonNull(name, "name");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.serial = new SerialExecutor(Objects.requireNonNull(executor, "executor"));
    this.listener = Objects.requireNonNull(listener, "listener");
    this.riseFall = new RiseFall(settings.rise(), settings.fall(), !settings.startDown());
    this.up = riseFall.isUp();
  }

  /**
   * Starts checking.
   *
   * @param name for thread names and logs, e.g. {@code lb7-a http}
   * @param executor where the listener runs (wrapped in a {@link SerialExecutor}): give it the serialized executor
   *     of the state machine that consumes the results, or any executor
   */
  public static PeriodicCheck start(String name, Probe probe, CheckSettings settings, CheckScheduler scheduler,
      Executor executor, Listener listener) {
    PeriodicCheck check = new PeriodicCheck(name, probe, settings, scheduler, executor, listener);
    synchronized (check) {
      check.nextTick = scheduler.schedule(Duration.ZERO, check::tick);
    }
    return check;
  }

  private void tick() {
    synchronized (this) {
      if (closed) {
        return;
      }
      nextTick = scheduler.schedule(settings.interval(), this::tick);
      if (running != null) {
        overruns++;
        LOG.warning(name + ": " + probe + " still running after " + DurationText.of(settings.interval())
            + "; this probe is skipped");
        return;
      }
      running = Thread.ofVirtual().name("check " + name).unstarted(this::probeOnce);
      running.start();
    }
  }

  private void probeOnce() {
    ProbeResult result;
    try {
      result = probe.run(settings.timeout());
    } catch (RuntimeException e) { // a probe breaking its contract still counts as a failure
      result = ProbeResult.failed("probe error: " + e, Duration.ZERO);
    }
    synchronized (this) {
      running = null;
    }
    if (closed) {
      return;
    }
    ProbeResult finished = result;
    serial.execute(() -> count(finished));
  }

  private void count(ProbeResult result) {
    if (closed) {
      return;
    }
    boolean changed = riseFall.record(result.ok());
    up = riseFall.isUp();
    last = result;
    listener.checked(result, up, changed);
  }

  public String name() {
    return name;
  }

  public Probe probe() {
    return probe;
  }

  public CheckSettings settings() {
    return settings;
  }

  /** The state after the last counted result (the initial state before any). */
  public boolean isUp() {
    return up;
  }

  /** The last counted result, empty before the first probe finished. */
  public Optional<ProbeResult> lastResult() {
    return Optional.ofNullable(last);
  }

  /** Probes skipped because the previous one was still running. */
  public synchronized long overruns() {
    return overruns;
  }

  /**
   * Stops: no probe starts after this, a running one is interrupted (it returns within moments; this waits up to 2s
   * for its thread to end), no listener call starts after this returns. Idempotent.
   */
  @Override
  public void close() {
    Thread probeThread;
    synchronized (this) {
      closed = true;
      if (nextTick != null) {
        nextTick.cancel();
      }
      probeThread = running;
    }
    if (probeThread != null) {
      probeThread.interrupt();
      try {
        if (!probeThread.join(CLOSE_WAIT)) {
          LOG.warning(name + ": " + probe + " did not end within " + DurationText.of(CLOSE_WAIT) + " of an interrupt");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return name + ": " + probe + ", " + (up ? "up" : "down");
  }
}
