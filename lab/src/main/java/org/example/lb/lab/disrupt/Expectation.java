package org.example.lb.lab.disrupt;

import java.util.Optional;

/**
 * What a scenario may break: nothing, or only the connections that ran through its victim (a crashed LB7 or server).
 *
 * @param victim the node whose connections may break; empty: none may
 */
public record Expectation(Optional<String> victim) {
  public static Expectation nothingBreaks() {
    return new Expectation(Optional.empty());
  }

  public static Expectation onlyThrough(String victim) {
    return new Expectation(Optional.of(victim));
  }

  /** {@code 0 broken} or {@code only LB7-2's}. */
  public String text() {
    return victim.map(v -> "only " + v + "'s").orElse("0 broken");
  }
}
