package org.example.lb.l7.runtime;

/**
 * Status of a server's last health check as a number ({@code srv_check_status} of
 * {@code show servers state}, HAProxy 2.6's {@code enum healthcheck_status}). {@link #name()} is the
 * text {@code show stat} prints in {@code check_status} (UNK, INI, L4OK, L7STS, ...). Unknown codes
 * round-trip. Verified on 2.6.12: 1 INI, 6 L4OK, 8 L4CON, 15 L7OK.
 */
public record CheckStatus(int code) {
  private static final String[] NAMES = {
    "UNK", "INI", "START", "CHECKED", "HANA", "SOCKERR", "L4OK", "L4TOUT", "L4CON", "L6OK", "L6TOUT",
    "L6RSP", "L7TOUT", "L7RSP", "L57DATA", "L7OK", "L7OKC", "L7STS", "PROCERR", "PROCTOUT", "PROCOK"
  };
  private static final CheckStatus[] KNOWN = new CheckStatus[NAMES.length];

  static {
    for (int i = 0; i < KNOWN.length; i++) {
      KNOWN[i] = new CheckStatus(i);
    }
  }

  public static final CheckStatus UNKNOWN = KNOWN[0];
  public static final CheckStatus INI = KNOWN[1];
  public static final CheckStatus SOCKERR = KNOWN[5];
  public static final CheckStatus L4OK = KNOWN[6];
  public static final CheckStatus L4TOUT = KNOWN[7];
  public static final CheckStatus L4CON = KNOWN[8];
  public static final CheckStatus L6OK = KNOWN[9];
  public static final CheckStatus L7OK = KNOWN[15];
  public static final CheckStatus L7OKC = KNOWN[16];
  public static final CheckStatus L7STS = KNOWN[17];

  public static CheckStatus valueOf(int code) {
    return code >= 0 && code < KNOWN.length ? KNOWN[code] : new CheckStatus(code);
  }

  /** The {@code show stat} text for this status, or {@code UNKNOWN(N)} for an unknown code. */
  public String name() {
    return code >= 0 && code < NAMES.length ? NAMES[code] : "UNKNOWN(" + code + ")";
  }

  @Override
  public String toString() {
    return name();
  }
}
