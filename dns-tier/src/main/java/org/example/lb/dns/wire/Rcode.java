package org.example.lb.dns.wire;

/**
 * A response code (RFC 1035 §4.1.1; extended codes above 15 live partly in the OPT record, RFC 6891 §6.1.3). A small
 * value type: {@link #valueOf} returns the named constant for known codes and a new value for any other, so an
 * unknown code round-trips.
 *
 * @param code 0..4095
 */
public record Rcode(int code) {
  public static final Rcode NOERROR = new Rcode(0);
  public static final Rcode FORMERR = new Rcode(1);
  public static final Rcode SERVFAIL = new Rcode(2);
  public static final Rcode NXDOMAIN = new Rcode(3);
  public static final Rcode NOTIMP = new Rcode(4);
  public static final Rcode REFUSED = new Rcode(5);
  /** RFC 6891 §6.1.3: 16, carried as 1 in the OPT record's extended-rcode byte and 0 in the header. */
  public static final Rcode BADVERS = new Rcode(16);

  public Rcode {
    if (code < 0 || code > 4095) {
      throw new IllegalArgumentException("rcode " + code + " (expected: 0..4095)");
    }
  }

  public static Rcode valueOf(int code) {
    return switch (code) {
      case 0 -> NOERROR;
      case 1 -> FORMERR;
      case 2 -> SERVFAIL;
      case 3 -> NXDOMAIN;
      case 4 -> NOTIMP;
      case 5 -> REFUSED;
      case 16 -> BADVERS;
      default -> new Rcode(code);
    };
  }

  /** The low four bits, which go in the header. */
  public int headerBits() {
    return code & 0xF;
  }

  /** The high eight bits, which go in the OPT record's TTL field (RFC 6891 §6.1.3). */
  public int extendedBits() {
    return code >>> 4;
  }

  @Override
  public String toString() {
    return switch (code) {
      case 0 -> "NOERROR";
      case 1 -> "FORMERR";
      case 2 -> "SERVFAIL";
      case 3 -> "NXDOMAIN";
      case 4 -> "NOTIMP";
      case 5 -> "REFUSED";
      case 16 -> "BADVERS";
      default -> "RCODE" + code;
    };
  }
}
