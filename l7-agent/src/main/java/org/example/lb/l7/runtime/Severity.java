package org.example.lb.l7.runtime;

/**
 * Severity of a CLI message as printed after {@code set severity-output number}: the syslog level
 * in brackets, {@code [3]: No such backend.}. Known codes have names; unknown codes round-trip.
 * HAProxy 2.6 prints errors with {@link #ERR} and informational messages with {@link #INFO}
 * (including "New server registered." and, unusually, "Unknown command").
 */
public record Severity(int code) {
  public static final Severity EMERG = new Severity(0);
  public static final Severity ALERT = new Severity(1);
  public static final Severity CRIT = new Severity(2);
  public static final Severity ERR = new Severity(3);
  public static final Severity WARNING = new Severity(4);
  public static final Severity NOTICE = new Severity(5);
  public static final Severity INFO = new Severity(6);
  public static final Severity DEBUG = new Severity(7);

  private static final Severity[] KNOWN = {EMERG, ALERT, CRIT, ERR, WARNING, NOTICE, INFO, DEBUG};
  private static final String[] NAMES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

  public Severity {
    if (code < 0) {
      throw new IllegalArgumentException("code: " + code + " (expected: a non-negative syslog level)");
    }
  }

  public static Severity valueOf(int code) {
    return code >= 0 && code < KNOWN.length ? KNOWN[code] : new Severity(code);
  }

  /** True for err and more severe levels: HAProxy's way of saying the command failed. */
  public boolean isError() {
    return code <= ERR.code;
  }

  /** The syslog name ("err", "info", ...) or {@code severity(N)} for an unknown code. */
  public String name() {
    return code < NAMES.length ? NAMES[code] : "severity(" + code + ")";
  }

  @Override
  public String toString() {
    return name();
  }
}
