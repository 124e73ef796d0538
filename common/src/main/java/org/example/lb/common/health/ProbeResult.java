package org.example.lb.common.health;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one probe.
 *
 * @param ok whether the target passed
 * @param detail a short text for status and logs: {@code HTTP 200}, {@code HTTP 503}, {@code connect refused},
 *     {@code timeout after 500ms}, {@code bad status line "..."}
 * @param elapsed how long the probe took (wall time, from before the connect to the verdict)
 */
public record ProbeResult(boolean ok, String detail, Duration elapsed) {
  public ProbeResult {
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  public static ProbeResult passed(String detail, Duration elapsed) {
    return new ProbeResult(true, detail, elapsed);
  }

  public static ProbeResult failed(String detail, Duration elapsed) {
    return new ProbeResult(false, detail, elapsed);
  }

  /** {@code ok HTTP 200 in 3ms} or {@code failed connect refused in 0ms}. */
  @Override
  public String toString() {
    return (ok ? "ok " : "failed ") + detail + " in " + DurationText.of(elapsed);
  }
}
