package org.example.lb.common.health;

import java.time.Duration;

/**
 * Runs a task once after a delay. {@link PeriodicCheck} takes one so that tests can drive time; services use
 * {@link #system()}. Tasks must be short (they start probes, they do not run them).
 */
@FunctionalInterface
public interface CheckScheduler {
  /** Runs {@code task} once after {@code delay} (zero: as soon as possible); the handle cancels it. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that has not run yet can be cancelled; cancelling later does nothing. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /** One daemon platform thread shared by every check of the process, on the system's monotonic clock. */
  static CheckScheduler system() {
    return SystemCheckScheduler.INSTANCE;
  }
}
