package org.example.lb.bgp.health;

import org.example.lb.common.health.DurationText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.example.lb.common.flags.FlagDirectory;
import org.example.lb.common.flags.SerialExecutor;
import org.example.lb.common.health.CheckScheduler;
import org.example.lb.common.health.ProbeResult;

/**
 * ExaBGP's healthcheck loop: checks a {@link HealthSource}, one check at a time, and tells a {@link Listener} of
 * every state change with the {@link Advertisement} it implies.
 *
 * <p>Each round first looks at the disable file: present, the round observes DISABLED without running the check;
 * absent, the check runs on a virtual thread, abandoned (interrupted, counted as failed) after the settings'
 * timeout. The next round is scheduled the state's interval after the round ended (the fast interval in INIT,
 * RISING and FALLING). The disable file's directory is also watched ({@link FlagDirectory}), so its appearance or
 * removal starts a round at once: DISABLED and the withdrawal follow within moments, even while a check runs
 * (that check is abandoned). The first round starts at once.
 *
 * <p>The state is touched only on one {@link SerialExecutor}; listeners run there, one change at a time, in order,
 * and must not block (hand the advertisement to the announcer's own executor). Hooks run off it ({@link Hooks}).
 * Timers come from the given {@link CheckScheduler}, times in {@link HealthStatus} and {@link StateChange} from the
 * given clock, so tests drive both.
 */
public final class HealthCheck implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(HealthCheck.class.getName());
  /** How often the disable file's directory is re-read even without an inotify event. */
  private static final Duration FLAG_RESCAN = Duration.ofSeconds(1);
  /** How long {@link #close()} waits for the EXIT change to be delivered. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /** Receives every state change. */
  @FunctionalInterface
  public interface Listener {
    void changed(StateChange change);
  }

  private final String name;
  private final HealthSettings settings;
  private final HealthSource source;
  private final CheckScheduler scheduler;
  private final Clock clock;
  private final Listener listener;
  private final HealthStateMachine machine;
  private final Path disableFile;
  private final StateHooks hooks;
  private final SerialExecutor serial;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile HealthStatus status;
  private volatile FlagDirectory flags;

  // touched only on serial
  private HealthStateMachine.Position position;
  private Instant since;
  private int consecutivePasses;
  private int consecutiveFailures;
  private ProbeResult lastResult;
  private long checksRun;
  private long round; // identifies the check in flight; a result of another round is stale
  private Thread running; // the check in flight
  private CheckScheduler.Cancellable nextRound;
  private CheckScheduler.Cancellable watchdog;
  private boolean exited;

  private HealthCheck(String name, HealthSettings settings, HealthSource source, CheckScheduler scheduler,
      Clock clock, Listener listener) {
    this.name = Objects.requireNonNull(name, "name");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.source = Objects.requireNonNull(source, "source");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.machine = new HealthStateMachine(settings);
    this.disableFile = settings.disableFile().toAbsolutePath();
    this.hooks = new StateHooks(name, settings.hooks());
    this.serial = new SerialExecutor(task -> Thread.ofVirtual().name("health " + name).start(task));
    this.position = machine.initial();
    this.since = clock.instant();
    publish(settings.fastInterval());
  }

  /** Starts checking on the system timer and clock. See {@link #start(String, HealthSettings, HealthSource,
   * CheckScheduler, Clock, Listener)}. */
  public static HealthCheck start(String name, HealthSettings settings, HealthSource source, Listener listener) {
    return start(name, settings, source, CheckScheduler.system(), Clock.systemUTC(), listener);
  }

  /**
   * Starts checking: the first round runs at once.
   *
   * @param name for logs and thread names, e.g. {@code director}
   * @param scheduler the timer of rounds and check timeouts
   * @param clock for {@link HealthStatus#since()} and {@link StateChange#at()}
   */
  public static HealthCheck start(String name, HealthSettings settings, HealthSource source,
      CheckScheduler scheduler, Clock clock, Listener listener) {
    HealthCheck check = new HealthCheck(name, settings, source, scheduler, clock, listener);
    check.serial.execute(check::round);
    Path file = check.disableFile;
    String fileName = file.getFileName().toString();
    check.flags = FlagDirectory.watch(file.getParent(), FLAG_RESCAN, fileName::equals, check.serial,
        (changed, content) -> check.round());
    return check;
  }

  public String name() {
    return name;
  }

  public HealthSettings settings() {
    return settings;
  }

  /** The state now (updated after each round, before listeners are told). */
  public HealthStatus status() {
    return status;
  }

  /** Runs on serial: starts a round unless a check is in flight (which will end this round). */
  private void round() {
    if (exited) {
      return;
    }
    boolean disabled = Files.exists(disableFile);
    if (running != null) {
      if (!disabled) {
        return; // the check in flight ends the round
      }
      abandonCheck();
    }
    cancelNextRound();
    if (disabled) {
      observe(Observation.DISABLED, null);
      return;
    }
    long id = ++round;
    running = Thread.ofVirtual().name("health check " + name).start(() -> {
      ProbeResult result;
      try {
        result = source.check();
      } catch (RuntimeException e) { // a source breaking its contract still counts as a failure
        result = ProbeResult.failed("check error: " + e, Duration.ZERO);
      }
      ProbeResult finished = result;
      serial.execute(() -> checked(id, finished));
    });
    watchdog = scheduler.schedule(settings.timeout(), () -> serial.execute(() -> timedOut(id)));
  }

  private void checked(long id, ProbeResult result) {
    if (exited || id != round || running == null) {
      return; // abandoned meanwhile
    }
    running = null;
    if (watchdog != null) {
      watchdog.cancel();
      watchdog = null;
    }
    count(result);
    observe(Files.exists(disableFile) ? Observation.DISABLED
        : result.ok() ? Observation.PASSED : Observation.FAILED, result);
  }

  private void timedOut(long id) {
    if (exited || id != round || running == null) {
      return;
    }
    abandonCheck();
    ProbeResult result = ProbeResult.failed("no result within timeout " + DurationText.of(settings.timeout()),
        settings.timeout());
    count(result);
    observe(Files.exists(disableFile) ? Observation.DISABLED : Observation.FAILED, result);
  }

  private void abandonCheck() {
    running.interrupt();
    running = null;
    round++;
    if (watchdog != null) {
      watchdog.cancel();
      watchdog = null;
    }
  }

  private void count(ProbeResult result) {
    checksRun++;
    lastResult = result;
    consecutivePasses = result.ok() ? consecutivePasses + 1 : 0;
    consecutiveFailures = result.ok() ? 0 : consecutiveFailures + 1;
  }

  /** Feeds one observation to the machine, schedules the next round, tells of a change. */
  private void observe(Observation observation, ProbeResult result) {
    HealthStateMachine.Step step = machine.step(position, observation);
    String reason = observation == Observation.DISABLED ? "disable file " + disableFile + " present"
        : result.detail();
    nextRound = scheduler.schedule(step.nextRound(), () -> serial.execute(this::round));
    apply(step, reason);
  }

  private void apply(HealthStateMachine.Step step, String reason) {
    position = step.to();
    if (!step.stateChanged()) {
      publish(step.nextRound());
      return;
    }
    Instant now = clock.instant();
    since = now;
    publish(step.nextRound());
    StateChange change = new StateChange(step.from().state(), step.to().state(), step.to().advertisement(),
        step.advertisementChanged(), reason, now);
    LOG.info(name + ": " + change);
    hooks.changedTo(change.to());
    try {
      listener.changed(change);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, name + ": listener failed on " + change + ": " + e, e);
    }
  }

  private void publish(Duration nextRoundIn) {
    status = new HealthStatus(position.state(), since, position.checks(), consecutivePasses, consecutiveFailures,
        Optional.ofNullable(lastResult), checksRun, position.advertisement(), nextRoundIn);
  }

  private void cancelNextRound() {
    if (nextRound != null) {
      nextRound.cancel();
      nextRound = null;
    }
  }

  /**
   * Stops: no round starts after this, a check in flight is abandoned, the state becomes EXIT and listeners are
   * told with a withdrawal (as ExaBGP withdraws on exit; no hook runs). Waits up to 5s for that to be delivered;
   * do not call it from a listener. Idempotent.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    if (flags != null) {
      flags.close();
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    serial.execute(() -> {
      try {
        if (running != null) {
          abandonCheck();
        }
        cancelNextRound();
        exited = true;
        apply(machine.exit(position), "stopped");
      } finally {
        done.complete(null);
      }
    });
    try {
      done.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warning(name + ": EXIT not delivered within " + DurationText.of(CLOSE_WAIT) + " (a listener blocks?)");
    }
  }

  @Override
  public String toString() {
    return "health check " + name + " (" + source + ")";
  }
}
