package org.example.lb.bgp.health;

import org.example.lb.common.health.DurationText;
import java.nio.file.Path;
import java.time.Duration;
import org.example.lb.common.config.Validation;

/**
 * How a {@link HealthCheck} checks and what it advertises, after ExaBGP healthcheck's options of the same meaning.
 * A {@code null} field or a 0 count means the default (as {@link org.example.lb.common.config.ConfigLoader} passes
 * absent fields); MEDs are boxed because 0 is a valid MED.
 *
 * @param interval pause between the end of one check and the start of the next in UP, DOWN and DISABLED
 *     ({@code --interval}); default 5s
 * @param fastInterval the same pause in INIT, RISING and FALLING ({@code --fast-interval}), at most
 *     {@code interval}; default 1s
 * @param timeout how long one check may take before it is abandoned (interrupted) and counted as failed
 *     ({@code --timeout}); a source's own timeout (such as {@link HealthSource#command}'s) should be shorter;
 *     default 5s
 * @param rise consecutive passes to become UP, 1-1000 ({@code --rise}); default 3
 * @param fall consecutive failures to become DOWN, 1-1000 ({@code --fall}); default 3
 * @param disableFile while this file exists the service is DISABLED and withdrawn, and no check runs
 *     ({@code --disable}); its appearance and removal act at once; default {@code /etc/lb/disable}
 * @param withdrawOnDown withdraw when DOWN instead of announcing with {@code med + increase}
 *     ({@code --withdraw-on-down}); default false
 * @param med the MED announced while UP, 0-4294967295 ({@code --up-metric}); default 100
 * @param increase added to {@code med} while DOWN (unless {@code withdrawOnDown}); default 900, so that DOWN
 *     announces ExaBGP's default {@code --down-metric} of 1000. Not ExaBGP's {@code --increase}, which is a step
 *     between the MEDs of successive prefixes (see the package documentation)
 * @param hooks commands run on state changes; default none
 */
public record HealthSettings(Duration interval, Duration fastInterval, Duration timeout, int rise, int fall,
    Path disableFile, boolean withdrawOnDown, Long med, Long increase, Hooks hooks) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_FAST_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_RISE = 3;
  public static final int DEFAULT_FALL = 3;
  public static final Path DEFAULT_DISABLE_FILE = Path.of("/etc/lb/disable");
  public static final long DEFAULT_MED = 100;
  public static final long DEFAULT_INCREASE = 900;

  public HealthSettings {
    interval = interval == null ? DEFAULT_INTERVAL : Validation.positive("interval", interval);
    fastInterval = fastInterval == null ? DEFAULT_FAST_INTERVAL : Validation.positive("fastInterval", fastInterval);
    if (fastInterval.compareTo(interval) > 0) {
      throw Validation.invalid("fastInterval", DurationText.of(fastInterval),
          "at most interval (" + DurationText.of(interval) + ")");
    }
    timeout = timeout == null ? DEFAULT_TIMEOUT : Validation.positive("timeout", timeout);
    rise = rise == 0 ? DEFAULT_RISE : Validation.range("rise", rise, 1, 1000);
    fall = fall == 0 ? DEFAULT_FALL : Validation.range("fall", fall, 1, 1000);
    disableFile = disableFile == null ? DEFAULT_DISABLE_FILE : disableFile;
    if (disableFile.getFileName() == null) {
      throw Validation.invalid("disableFile", disableFile, "a file path such as /etc/lb/disable");
    }
    med = med == null ? DEFAULT_MED : med;
    if (med < 0 || med > Advertisement.MAX_MED) {
      throw Validation.invalid("med", med, "an integer 0-" + Advertisement.MAX_MED);
    }
    increase = increase == null ? DEFAULT_INCREASE : increase;
    if (increase < 0 || increase > Advertisement.MAX_MED - med) {
      throw Validation.invalid("increase", increase, "an integer 0-" + (Advertisement.MAX_MED - med)
          + " (med + increase at most " + Advertisement.MAX_MED + ")");
    }
    hooks = hooks == null ? Hooks.none() : hooks;
  }

  /** Every default: 5s, 1s fast, 5s timeout, rise 3, fall 3, /etc/lb/disable, MED 100 up and 1000 down, no hooks. */
  public static HealthSettings defaults() {
    return new HealthSettings(null, null, null, 0, 0, null, false, null, null, null);
  }

  /** The MED announced while DOWN ({@code med + increase}), when not {@link #withdrawOnDown}. */
  public long downMed() {
    return med + increase;
  }
}
