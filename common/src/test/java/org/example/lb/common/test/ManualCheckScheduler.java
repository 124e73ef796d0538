package org.example.lb.common.test;

import java.time.Duration;
import java.util.PriorityQueue;
import org.example.lb.common.health.CheckScheduler;

/**
 * A {@link CheckScheduler} whose time moves only when the test calls {@link #advance}: due tasks then run in the
 * test's thread, in time order (ties in scheduling order). Thread-safe (checks schedule from their probe threads).
 */
public final class ManualCheckScheduler implements CheckScheduler {
  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private long now;
  private long sequence;

  private static final class Entry implements Comparable<Entry> {
    final long due;
    final long seq;
    final Runnable task;
    volatile boolean cancelled;

    Entry(long due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Entry o) {
      return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
    }
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Entry e = new Entry(now + delay.toNanos(), sequence++, task);
    queue.add(e);
    return () -> e.cancelled = true;
  }

  /** Moves time forward by {@code by}, running each task due meanwhile; returns how many ran. */
  public int advance(Duration by) {
    long target;
    synchronized (this) {
      target = now + by.toNanos();
    }
    int ran = 0;
    while (true) {
      Entry next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due > target) {
          now = target;
          return ran;
        }
        queue.poll();
        now = next.due;
      }
      if (!next.cancelled) {
        next.task.run();
        ran++;
      }
    }
  }

  /** Runs what is due now without moving time. */
  public int runDue() {
    return advance(Duration.ZERO);
  }

  /** Tasks scheduled and neither run nor cancelled. */
  public synchronized int pending() {
    return (int) queue.stream().filter(e -> !e.cancelled).count();
  }
}
