package org.example.lb.l4.health;

import java.util.Map;
import org.example.lb.common.config.Validation;
import org.example.lb.l4.forward.BackendState;

/**
 * keepalived's quorum with hysteresis: the service (the VIPs this director announces) is up while enough LB7 weight
 * is UP. The live weight is the sum of the configured weights of the UP LB7s (DRAINING and DOWN ones count 0). With
 * quorum Q and hysteresis H: when up, it goes down once the live weight is below Q − H; when down, it comes up once
 * the live weight reaches Q + H. Between the two it stays as it is.
 *
 * <p>Q = 0 means no quorum: always up (even when starting down: there is nothing to wait for). Otherwise
 * 0 ≤ H < Q, so that no live weight at all is always down. Pure and not thread-safe: touch it from one serialized
 * executor.
 */
public final class Quorum {
  private final long quorum;
  private final long hysteresis;
  private boolean up;
  private long liveWeight;

  private Quorum(int quorum, int hysteresis, boolean up, long liveWeight) {
    Validation.range("quorum", quorum, 0, Integer.MAX_VALUE);
    if (quorum == 0) {
      Validation.range("hysteresis", hysteresis, 0, 0);
    } else {
      Validation.range("hysteresis", hysteresis, 0, quorum - 1);
    }
    this.quorum = quorum;
    this.hysteresis = hysteresis;
    this.up = quorum == 0 || up;
    this.liveWeight = liveWeight;
  }

  /** Starts down (with every LB7 starting DOWN, keepalived's {@code alpha}): up once the live weight reaches Q + H. */
  public static Quorum startingDown(int quorum, int hysteresis) {
    return new Quorum(quorum, hysteresis, false, 0);
  }

  /** Starts up if {@code liveWeight} ≥ Q (no hysteresis applies before there is a previous state). */
  public static Quorum startingAt(int quorum, int hysteresis, long liveWeight) {
    return new Quorum(quorum, hysteresis, liveWeight >= quorum, liveWeight);
  }

  /** Takes the current live weight into account; returns whether the state changed. */
  public boolean update(long liveWeight) {
    this.liveWeight = liveWeight;
    boolean next = up ? liveWeight >= quorum - hysteresis : liveWeight >= quorum + hysteresis;
    if (next == up) {
      return false;
    }
    up = next;
    return true;
  }

  /**
   * The sum of {@code weights} of the LB7s whose state is UP; an LB7 without a weight counts 0.
   *
   * @param weights the configured weight of each LB7 (0 = drained by configuration)
   */
  public static long liveWeight(Map<String, BackendState> states, Map<String, Integer> weights) {
    long sum = 0;
    for (var e : states.entrySet()) {
      if (e.getValue() == BackendState.UP) {
        sum += weights.getOrDefault(e.getKey(), 0);
      }
    }
    return sum;
  }

  public boolean isUp() {
    return up;
  }

  /** The live weight last given. */
  public long liveWeight() {
    return liveWeight;
  }

  public int quorum() {
    return (int) quorum;
  }

  public int hysteresis() {
    return (int) hysteresis;
  }

  /** {@code up (live weight 300, quorum 200 ± 50)}. */
  @Override
  public String toString() {
    return (up ? "up" : "down") + " (live weight " + liveWeight + ", quorum " + quorum
        + (hysteresis == 0 ? "" : " ± " + hysteresis) + ")";
  }
}
