package org.example.lb.dns.health;

import java.time.Duration;

/**
 * gdnsd's anti-flap state machine for one monitored address and service type, with the TTL it implies
 * (gdnsd.config(5), "SERVICE_TYPES"; {@code gdnsd_mon_state_updater}).
 *
 * <ul>
 *   <li>The first result sets the state directly (gdnsd's initial round): UP if it passed.</li>
 *   <li>DOWN: {@code upThresh} successes in a row bring it UP; a failure restarts the count.</li>
 *   <li>UP: every failure, even between successes, counts towards {@code downThresh}; reaching it brings the state
 *       DOWN. {@code okThresh} successes in a row clear the failures counted so far.</li>
 *   <li>TTL: the least time before the state can change, {@code interval × results still needed} (seconds, rounded
 *       up), at most {@link HealthState#MAX_TTL}.</li>
 * </ul>
 *
 * <p>Unlike HAProxy's and keepalived's rise/fall ({@link org.example.lb.common.health.RiseFall}), isolated failures
 * accumulate. Pure and not thread-safe: touch it from one serialized executor.
 */
public final class AntiFlap {
  private final int upThresh;
  private final int okThresh;
  private final int downThresh;
  private final long intervalMillis;
  private boolean started;
  private boolean down;
  private int successes;
  private int failures;

  /**
   * @param upThresh successes in a row to go UP (gdnsd default 20)
   * @param okThresh successes in a row that clear the failure count (default 10)
   * @param downThresh failures to go DOWN (default 10)
   * @param interval time between checks (default 10s)
   */
  public AntiFlap(int upThresh, int okThresh, int downThresh, Duration interval) {
    if (upThresh < 1 || okThresh < 1 || downThresh < 1) {
      throw new IllegalArgumentException("thresholds must be at least 1: " + upThresh + ", " + okThresh + ", "
          + downThresh);
    }
    this.upThresh = upThresh;
    this.okThresh = okThresh;
    this.downThresh = downThresh;
    this.intervalMillis = interval.toMillis();
  }

  /** Counts one check result; returns the state after it. */
  public HealthState record(boolean ok) {
    if (!started) {
      started = true;
      down = !ok;
    } else if (down) {
      if (ok) {
        if (++successes == upThresh) {
          successes = 0;
          failures = 0;
          down = false;
        }
      } else {
        successes = 0;
      }
    } else if (ok) {
      if (failures > 0 && ++successes == okThresh) {
        failures = 0;
        successes = 0;
      }
    } else {
      successes = 0;
      if (++failures == downThresh) {
        failures = 0;
        down = true;
      }
    }
    return state();
  }

  /** The state now: UP with no TTL limit before the first result. */
  public HealthState state() {
    if (!started) {
      return HealthState.UP;
    }
    long needed = down ? upThresh - successes : downThresh - failures;
    long ttl = (intervalMillis * needed + 999) / 1000;
    return new HealthState(down, Math.min(ttl, HealthState.MAX_TTL));
  }

  /** Failures counted while UP (0 while DOWN). */
  public int failures() {
    return failures;
  }

  /** Successes counted towards UP (while DOWN) or towards clearing the failures (while UP). */
  public int successes() {
    return successes;
  }

  /** {@code UP/100 (2/10 failures)}, {@code DOWN/40 (3/20 successes)}. */
  @Override
  public String toString() {
    HealthState s = state();
    if (down && successes > 0) {
      return s + " (" + successes + "/" + upThresh + " successes)";
    }
    if (!down && failures > 0) {
      return s + " (" + failures + "/" + downThresh + " failures)";
    }
    return s.toString();
  }
}
