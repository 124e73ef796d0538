package org.example.lb.l4.health;

import java.time.Duration;
import org.example.lb.common.config.Validation;
import org.example.lb.common.health.CheckSettings;

/**
 * How every LB7 is checked: an HTTP GET of {@code path} expecting 200 and a TCP connect, both to its infrastructure
 * address and {@code port}, with the same timing. A 0 number or a {@code null} duration or path means the default
 * (as {@link org.example.lb.common.config.ConfigLoader} passes absent fields).
 *
 * @param port default 80 (the LB7's HAProxy)
 * @param path default {@code /healthcheck}
 * @param interval time between two probes of one check; default 1s
 * @param timeout each probe's budget, less than {@code interval}; default 500ms
 * @param rise consecutive successes for a check to go up, 1..1000; default 2
 * @param fall consecutive failures for a check to go down, 1..1000; default 2 (a dead LB7 is DOWN within about
 *     {@code fall × interval})
 * @param startAllDown every LB7 starts DOWN until both checks pass {@code rise} times (keepalived's {@code alpha});
 *     default false: they start UP
 */
public record Lb7HealthConfig(int port, String path, Duration interval, Duration timeout, int rise, int fall,
    boolean startAllDown) {
  public static final int DEFAULT_PORT = 80;
  public static final String DEFAULT_PATH = "/healthcheck";

  public Lb7HealthConfig {
    port = port == 0 ? DEFAULT_PORT : Validation.port("port", port);
    path = path == null ? DEFAULT_PATH : path;
    if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
      throw Validation.invalid("path", path, "an absolute URL path without spaces, such as /healthcheck");
    }
    CheckSettings checked = new CheckSettings(interval, timeout, rise, fall, startAllDown); // validates
    interval = checked.interval();
    timeout = checked.timeout();
    rise = checked.rise();
    fall = checked.fall();
  }

  /** Every default: port 80, /healthcheck, 1s, 500ms, rise 2, fall 2, starting UP. */
  public static Lb7HealthConfig defaults() {
    return new Lb7HealthConfig(0, null, null, null, 0, 0, false);
  }

  /** The timing of each of the two checks. */
  public CheckSettings checkSettings() {
    return new CheckSettings(interval, timeout, rise, fall, startAllDown);
  }
}
