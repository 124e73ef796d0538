package org.example.lb.lab.disrupt;

import java.util.Optional;

/**
 * What a scenario may break: nothing, or only the connections that ran through its victim.
 *
 * <p>A crashed LB7 or server is named in every answer ({@code X-Served-By: LB7-2/S3}), so its connections are known
 * by name. An LB4 never is (the answer returns directly), so for an LB4 only connections that got no answer while it
 * was dead can be its: an answered connection that breaks fails the expectation.
 *
 * @param victim the node whose connections may break; empty: none may
 * @param namedInAnswers whether answers name the victim
 */
public record Expectation(Optional<String> victim, boolean namedInAnswers) {
  public static Expectation nothingBreaks() {
    return new Expectation(Optional.empty(), false);
  }

  /** Only connections through {@code victim}, an LB7 or a server: named in answers. */
  public static Expectation onlyThrough(String victim) {
    return new Expectation(Optional.of(victim), true);
  }

  /** Only connections sent to {@code victim} (an LB4) that got no answer. */
  public static Expectation onlyUnansweredSentTo(String victim) {
    return new Expectation(Optional.of(victim), false);
  }

  /** The victim when answers name it (an LB7 or a server): its connections are known by name. */
  public Optional<String> namedVictim() {
    return victim.filter(v -> namedInAnswers);
  }

  /** {@code 0 broken}, {@code only LB7-2's} or {@code only unanswered ones sent to LB4-2}. */
  public String text() {
    return victim.map(v -> namedInAnswers ? "only " + v + "'s" : "only unanswered ones sent to " + v)
        .orElse("0 broken");
  }
}
