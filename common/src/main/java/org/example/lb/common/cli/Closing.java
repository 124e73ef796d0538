package org.example.lb.common.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The close-once latch of a running node: the first {@link #begin()} wins (a signal and the command's own
 * try-with-resources may both close), and {@link #await()} returns once closing has {@link #finished()}.
 */
public final class Closing {
  private final AtomicBoolean begun = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);

  /** True for the first caller only, who must call {@link #finished()} when done. */
  public boolean begin() {
    return begun.compareAndSet(false, true);
  }

  /** Whether closing has begun (a stopping service refuses new work). */
  public boolean isBegun() {
    return begun.get();
  }

  public void finished() {
    finished.countDown();
  }

  public void await() throws InterruptedException {
    finished.await();
  }
}
