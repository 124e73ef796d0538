package org.example.lb.l4.forward;

/**
 * A token bucket driven by the caller's clock: {@code perSecond} tokens a second, at most one second's worth
 * ({@code perSecond} tokens) saved up, full at the first call. 0 per second never gives a token. Single-threaded,
 * allocation-free.
 */
final class TokenBucket {
  private static final long SECOND = 1_000_000_000L;

  private final long costNanos;
  private long budgetNanos;
  private long lastNanos;
  private boolean started;

  TokenBucket(int perSecond) {
    this.costNanos = perSecond > 0 ? SECOND / perSecond : Long.MAX_VALUE;
  }

  /** Takes a token if one is available at {@code nowNanos}. */
  boolean tryTake(long nowNanos) {
    if (!started) {
      started = true;
      budgetNanos = SECOND;
      lastNanos = nowNanos;
    }
    long elapsed = nowNanos - lastNanos;
    lastNanos = nowNanos;
    if (elapsed > 0) {
      budgetNanos = Math.min(SECOND, budgetNanos + elapsed);
    }
    if (budgetNanos >= costNanos) {
      budgetNanos -= costNanos;
      return true;
    }
    return false;
  }
}
