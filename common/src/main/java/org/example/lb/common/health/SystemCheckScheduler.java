package org.example.lb.common.health;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** {@link CheckScheduler#system()}: one daemon timer thread for the process, created on first use. */
final class SystemCheckScheduler implements CheckScheduler {
  static final SystemCheckScheduler INSTANCE = new SystemCheckScheduler();

  private final ScheduledThreadPoolExecutor timer;

  private SystemCheckScheduler() {
    timer = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("health-timer").unstarted(r));
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    var future = timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }
}
