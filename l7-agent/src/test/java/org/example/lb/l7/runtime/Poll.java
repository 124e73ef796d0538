package org.example.lb.l7.runtime;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by polling with a deadline (tests never sleep a fixed time). */
final class Poll {
  private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private Poll() {}

  /** Polls {@code condition} until true; fails after {@code timeout} naming {@code what}. */
  static void until(Duration timeout, String what, BooleanSupplier condition) {
    until(timeout, () -> what, condition);
  }

  /** As {@link #until(Duration, String, BooleanSupplier)}, the description computed on failure. */
  static void until(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not true within " + timeout.toMillis() + " ms: " + what.get());
      }
      LockSupport.parkNanos(INTERVAL_NANOS);
    }
  }

  /**
   * Runs {@code assertion} until it passes; assertion errors and runtime-API failures before the
   * deadline are retried, the last one is rethrown after it.
   */
  static void untilAsserted(Duration timeout, Runnable assertion) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError | RuntimeApiException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
      }
      LockSupport.parkNanos(INTERVAL_NANOS);
    }
  }
}
