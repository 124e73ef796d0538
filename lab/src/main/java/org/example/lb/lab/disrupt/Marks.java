package org.example.lb.lab.disrupt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The timeline of a scenario's event: what was done or seen, when (epoch milliseconds). A mark with
 * {@code detected} says the lab had noticed a crash (from then on no new connection goes to the victim).
 */
public final class Marks {
  /** One moment of the timeline. */
  public record Mark(long epochMs, String what, boolean detected) {}

  private final List<Mark> marks = new ArrayList<>();
  private final Duration between;

  /** {@code between}: how long two-step events wait between their steps (load keeps running). */
  Marks(Duration between) {
    this.between = between;
  }

  /** A timeline given in advance (tests). */
  static Marks of(List<Mark> given) {
    Marks m = new Marks(Duration.ZERO);
    m.marks.addAll(given);
    return m;
  }

  public void mark(String what) {
    marks.add(new Mark(System.currentTimeMillis(), what, false));
  }

  /** Marks that the crash was noticed (by the directors, balancers or routers). */
  public void detected(String what) {
    marks.add(new Mark(System.currentTimeMillis(), what, true));
  }

  /** Lets the load run for the pause between two steps. */
  public void pause() {
    LockSupport.parkNanos(between.toNanos());
  }

  public List<Mark> all() {
    return List.copyOf(marks);
  }

  /** When the event began (its first mark). */
  public long start() {
    return marks.isEmpty() ? System.currentTimeMillis() : marks.getFirst().epochMs();
  }

  /** When the crash was noticed, or the last mark when none says so. */
  public long detection() {
    return marks.stream().filter(Mark::detected).mapToLong(Mark::epochMs).findFirst()
        .orElse(marks.isEmpty() ? System.currentTimeMillis() : marks.getLast().epochMs());
  }
}
