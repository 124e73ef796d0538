package org.example.lb.lab.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling it, with a deadline; never a fixed sleep. */
public final class Poll {
  private Poll() {}

  /** True as soon as {@code condition} holds; false if it still does not after {@code deadline}. */
  public static boolean until(Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
