package org.example.lb.bgp.health;

import java.time.Duration;

/** Durations as operators write them: {@code 500ms}, {@code 2s} (common's equivalent is package-private). */
final class DurationText {
  private DurationText() {}

  static String of(Duration d) {
    long millis = d.toMillis();
    return millis != 0 && millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
