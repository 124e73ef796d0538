package org.example.lb.dns.health;

/**
 * A monitored state and its TTL, gdnsd's {@code gdnsd_sttl_t}: UP or DOWN, and the least time (seconds) before it can
 * change, which bounds the TTL of the answers it decides (gdnsd.zonefile(5), "DYNA/DYNC TTLs").
 *
 * @param down whether DOWN
 * @param ttl 0..{@link #MAX_TTL} seconds; {@link #MAX_TTL} means "no limit" (static states), shown as {@code MAX}
 */
public record HealthState(boolean down, long ttl) {
  /** gdnsd's largest state TTL, 2^28 - 1 ({@code GDNSD_STTL_TTL_MAX}). */
  public static final long MAX_TTL = (1L << 28) - 1;
  /** UP with no TTL limit: the state of gdnsd's {@code up} service type, and of a monitor before its first check. */
  public static final HealthState UP = new HealthState(false, MAX_TTL);
  /** DOWN with no TTL limit: gdnsd's {@code down} service type. */
  public static final HealthState DOWN = new HealthState(true, MAX_TTL);

  public HealthState {
    if (ttl < 0 || ttl > MAX_TTL) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: 0-" + MAX_TTL + ")");
    }
  }

  public static HealthState up(long ttl) {
    return new HealthState(false, ttl);
  }

  public static HealthState down(long ttl) {
    return new HealthState(true, ttl);
  }

  /**
   * This state combined with another of the same thing (two service types of one address, two addresses of one
   * resource): DOWN if either is, the lesser TTL (gdnsd's {@code gdnsd_sttl_min2}).
   */
  public HealthState worst(HealthState other) {
    return new HealthState(down || other.down, Math.min(ttl, other.ttl));
  }

  /** {@code UP/100}, {@code DOWN/MAX}, {@code UP/MIN} (gdnsd's log format). */
  @Override
  public String toString() {
    return (down ? "DOWN/" : "UP/") + (ttl == MAX_TTL ? "MAX" : ttl == 0 ? "MIN" : String.valueOf(ttl));
  }

  /**
   * Parses gdnsd's {@code STATE[/TTL]} (extfile data, admin_state values): {@code UP} or {@code DOWN} in any case, an
   * optional TTL 0..{@link #MAX_TTL}.
   *
   * @param defaultTtl the TTL when none is given
   * @throws IllegalArgumentException saying what was expected
   */
  public static HealthState parse(String text, long defaultTtl) {
    String t = text.strip();
    int slash = t.indexOf('/');
    String state = slash < 0 ? t : t.substring(0, slash);
    boolean down;
    if (state.equalsIgnoreCase("UP")) {
      down = false;
    } else if (state.equalsIgnoreCase("DOWN")) {
      down = true;
    } else {
      throw new IllegalArgumentException("\"" + text + "\" (expected: UP or DOWN, optionally /TTL)");
    }
    long ttl = defaultTtl;
    if (slash >= 0) {
      String digits = t.substring(slash + 1);
      if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
          || Long.parseLong(digits) > MAX_TTL) {
        throw new IllegalArgumentException("\"" + text + "\" (expected: a TTL 0-" + MAX_TTL + " after the /)");
      }
      ttl = Long.parseLong(digits);
    }
    return new HealthState(down, ttl);
  }
}
