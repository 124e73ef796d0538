package org.example.lb.common.health;

import java.time.Duration;

/** Durations as operators write them in configs: {@code 500ms}, {@code 2s}, {@code 1500ms}. */
public final class DurationText {
  private DurationText() {}

  public static String of(Duration d) {
    long millis = d.toMillis();
    if (millis != 0 && millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
