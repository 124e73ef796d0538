package org.example.lb.common.health;

import org.example.lb.common.config.Validation;

/**
 * keepalived's and HAProxy's rise/fall: a target that is up goes down after {@code fall} consecutive failures; one
 * that is down comes up after {@code rise} consecutive successes. A result that agrees with the current state resets
 * the count towards the other. Starting down (keepalived's {@code alpha}) means the target must first pass
 * {@code rise} checks. Pure and not thread-safe: touch it from one serialized executor.
 */
public final class RiseFall {
  private final int rise;
  private final int fall;
  private boolean up;
  private int streak; // consecutive results disagreeing with the current state

  /**
   * @param rise consecutive successes to go up, 1..1000
   * @param fall consecutive failures to go down, 1..1000
   * @param initiallyUp the state before any result
   */
  public RiseFall(int rise, int fall, boolean initiallyUp) {
    this.rise = Validation.range("rise", rise, 1, 1000);
    this.fall = Validation.range("fall", fall, 1, 1000);
    this.up = initiallyUp;
  }

  /** Counts one result; returns whether the state changed. */
  public boolean record(boolean ok) {
    if (ok == up) {
      streak = 0;
      return false;
    }
    streak++;
    if (streak >= (up ? fall : rise)) {
      up = !up;
      streak = 0;
      return true;
    }
    return false;
  }

  public boolean isUp() {
    return up;
  }

  /** Consecutive results so far that disagree with the current state (0 when the last one agreed). */
  public int streak() {
    return streak;
  }

  /** {@code up}, {@code down}, {@code up (1/3 failures)} or {@code down (1/2 successes)}. */
  @Override
  public String toString() {
    String state = up ? "up" : "down";
    if (streak == 0) {
      return state;
    }
    return state + " (" + streak + "/" + (up ? fall + " failures)" : rise + " successes)");
  }
}
