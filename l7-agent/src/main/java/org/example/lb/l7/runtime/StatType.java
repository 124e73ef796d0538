package org.example.lb.l7.runtime;

/**
 * The {@code type} column of {@code show stat}: 0 frontend, 1 backend, 2 server, 3 listener.
 * Unknown codes round-trip.
 */
public record StatType(int code) {
  public static final StatType FRONTEND = new StatType(0);
  public static final StatType BACKEND = new StatType(1);
  public static final StatType SERVER = new StatType(2);
  public static final StatType LISTENER = new StatType(3);

  private static final StatType[] KNOWN = {FRONTEND, BACKEND, SERVER, LISTENER};
  private static final String[] NAMES = {"FRONTEND", "BACKEND", "SERVER", "LISTENER"};

  public static StatType valueOf(int code) {
    return code >= 0 && code < KNOWN.length ? KNOWN[code] : new StatType(code);
  }

  public String name() {
    return code >= 0 && code < NAMES.length ? NAMES[code] : "UNKNOWN(" + code + ")";
  }

  @Override
  public String toString() {
    return name();
  }
}
