package org.example.lb.l7.agent;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition with a deadline instead of sleeping a fixed time. */
final class Poll {
  private Poll() {}

  /** Polls until {@code condition} holds; fails with {@code what} after {@code timeout}. */
  static void until(Duration timeout, String what, BooleanSupplier condition) {
    until(timeout, what, () -> condition.getAsBoolean(), ok -> ok);
  }

  /**
   * Polls {@code probe} until its value satisfies {@code done}; returns that value, or fails naming
   * {@code what} and the last value seen.
   */
  static <T> T until(Duration timeout, String what, Supplier<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    RuntimeException lastError = null;
    while (true) {
      try {
        last = probe.get();
        lastError = null;
        if (done.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        lastError = e;
      }
      if (System.nanoTime() - deadline > 0) {
        AssertionError failure = new AssertionError("timed out after " + timeout + " waiting for " + what
            + "; last seen: " + (lastError != null ? lastError : last));
        if (lastError != null) {
          failure.initCause(lastError);
        }
        throw failure;
      }
      try {
        Thread.sleep(10); // polling interval, not a wait for the condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
