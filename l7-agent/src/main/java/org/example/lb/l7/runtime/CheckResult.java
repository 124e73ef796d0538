package org.example.lb.l7.runtime;

/**
 * Result of a server's last health check ({@code srv_check_result}, HAProxy's
 * {@code enum chk_result}): 0 UNKNOWN, 1 NEUTRAL, 2 FAILED, 3 PASSED, 4 CONDPASS. Unknown codes
 * round-trip.
 */
public record CheckResult(int code) {
  public static final CheckResult UNKNOWN = new CheckResult(0);
  public static final CheckResult NEUTRAL = new CheckResult(1);
  public static final CheckResult FAILED = new CheckResult(2);
  public static final CheckResult PASSED = new CheckResult(3);
  public static final CheckResult CONDPASS = new CheckResult(4);

  private static final CheckResult[] KNOWN = {UNKNOWN, NEUTRAL, FAILED, PASSED, CONDPASS};
  private static final String[] NAMES = {"UNKNOWN", "NEUTRAL", "FAILED", "PASSED", "CONDPASS"};

  public static CheckResult valueOf(int code) {
    return code >= 0 && code < KNOWN.length ? KNOWN[code] : new CheckResult(code);
  }

  public String name() {
    return code >= 0 && code < NAMES.length ? NAMES[code] : "UNKNOWN(" + code + ")";
  }

  @Override
  public String toString() {
    return name();
  }
}
