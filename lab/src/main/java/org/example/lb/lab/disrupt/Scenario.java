package org.example.lb.lab.disrupt;

/**
 * One disruption of the running lab, done under client load by {@link DisruptionRun}: {@link #prepare} before the
 * load starts (not measured), {@link #event} while it runs, {@link #restore} after it ended (always, also when the
 * event failed), which must leave the lab as {@code bin/lab up} made it.
 */
public interface Scenario {
  /** The command-line name: {@code lb7-crash}. */
  String name();

  /** What happens, in a line: {@code LB7-2 crashes (HAProxy, l7-agent, tunnel endpoint killed)}. */
  String summary();

  Expectation expectation();

  /**
   * What the design is known to do here when that differs from the expectation (printed with every report), or
   * empty.
   */
  default String knownLimit() {
    return "";
  }

  default void prepare(LabActions lab) {}

  void event(LabActions lab, Marks marks);

  void restore(LabActions lab);
}
