package org.example.lb.common.health;

import java.time.Duration;
import org.example.lb.common.config.Validation;

/**
 * How often and how strictly a {@link PeriodicCheck} probes. A {@code null} duration or a 0 count means the default
 * (as {@link org.example.lb.common.config.ConfigLoader} passes absent fields).
 *
 * @param interval time between the starts of two probes; default 1s
 * @param timeout each probe's budget (connect and answer), less than {@code interval}; default 500ms
 * @param rise consecutive successes to go up, 1..1000; default 2
 * @param fall consecutive failures to go down, 1..1000; default 2
 * @param startDown start down and come up only after {@code rise} successes (keepalived's {@code alpha}); default
 *     false: start up
 */
public record CheckSettings(Duration interval, Duration timeout, int rise, int fall, boolean startDown) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
  public static final int DEFAULT_RISE = 2;
  public static final int DEFAULT_FALL = 2;

  public CheckSettings {
    interval = interval == null ? DEFAULT_INTERVAL : Validation.positive("interval", interval);
    timeout = timeout == null ? DEFAULT_TIMEOUT : Validation.positive("timeout", timeout);
    if (timeout.compareTo(interval) >= 0) {
      throw Validation.invalid("timeout", DurationText.of(timeout),
          "less than interval (" + DurationText.of(interval) + ")");
    }
    rise = rise == 0 ? DEFAULT_RISE : Validation.range("rise", rise, 1, 1000);
    fall = fall == 0 ? DEFAULT_FALL : Validation.range("fall", fall, 1, 1000);
  }

  /** Every default: 1s, 500ms, rise 2, fall 2, starting up. */
  public static CheckSettings defaults() {
    return new CheckSettings(null, null, 0, 0, false);
  }
}
