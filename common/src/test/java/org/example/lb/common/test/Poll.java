package org.example.lb.common.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling every 10 ms with a deadline (tests never sleep for a fixed time). Every method
 * fails with an {@link AssertionError} once the timeout has passed.
 */
public final class Poll {
  private static final long INTERVAL_MILLIS = 10;

  private Poll() {}

  /**
   * Polls until {@code condition} holds; fails with {@code what} after {@code timeout}. An exception thrown by
   * {@code condition} ends the wait at once.
   */
  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    until(timeout, () -> what, condition);
  }

  /**
   * Polls until {@code condition} holds and returns true, or returns false once {@code timeout} has passed without it
   * (for a test that reacts to "not yet", e.g. by adding load; it still never waits longer than the timeout).
   */
  public static boolean holdsWithin(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      pause(() -> "a condition");
    }
    return true;
  }

  /** As {@link #until(Duration, String, BooleanSupplier)}, with the description computed only on failure. */
  public static void until(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what.get());
      }
      pause(what);
    }
  }

  /**
   * Polls {@code probe} until its value satisfies {@code done} and returns that value. A {@link RuntimeException}
   * thrown by {@code probe} counts as "not yet"; after {@code timeout} it fails naming {@code what} and the last
   * value or exception seen (the exception as the cause).
   */
  public static <T> T until(Duration timeout, String what, Supplier<T> probe, Predicate<? super T> done) {
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
      pause(() -> what);
    }
  }

  /** Polls until {@code supplier} returns a non-null value and returns it. */
  public static <T> T value(Duration timeout, String what, Supplier<T> supplier) {
    Object[] box = new Object[1];
    until(timeout, what, () -> (box[0] = supplier.get()) != null);
    @SuppressWarnings("unchecked")
    T value = (T) box[0];
    return value;
  }

  /** Runs {@code assertion} until it passes; its last {@link AssertionError} is rethrown after {@code timeout}. */
  public static void untilAsserted(Duration timeout, Runnable assertion) {
    untilAsserted(timeout, null, assertion);
  }

  /**
   * As {@link #untilAsserted(Duration, Runnable)}, also retrying exceptions of type {@code alsoRetried} (e.g. "the
   * daemon did not answer yet"); any other exception ends the wait at once.
   */
  public static void untilAsserted(Duration timeout, Class<? extends RuntimeException> alsoRetried,
      Runnable assertion) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError | RuntimeException e) {
        boolean retried = e instanceof AssertionError || (alsoRetried != null && alsoRetried.isInstance(e));
        if (!retried || System.nanoTime() - deadline > 0) {
          throw e;
        }
      }
      pause(() -> "an assertion to pass");
    }
  }

  private static void pause(Supplier<String> what) {
    try {
      Thread.sleep(INTERVAL_MILLIS); // the polling interval, not a wait for the condition
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for: " + what.get());
    }
  }
}
