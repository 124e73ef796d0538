package org.example.lb.dns.wire;

/**
 * A resource record type (RFC 1035 §3.2.2 and later registrations). {@link #valueOf} keeps unknown types as values of
 * their own ({@code TYPE65280}, RFC 3597 §5).
 *
 * @param code 0..65535
 */
public record RrType(int code) {
  public static final RrType A = new RrType(1);
  public static final RrType NS = new RrType(2);
  public static final RrType CNAME = new RrType(5);
  public static final RrType SOA = new RrType(6);
  public static final RrType PTR = new RrType(12);
  public static final RrType HINFO = new RrType(13);
  public static final RrType MX = new RrType(15);
  public static final RrType TXT = new RrType(16);
  public static final RrType AAAA = new RrType(28);
  public static final RrType SRV = new RrType(33);
  public static final RrType DNAME = new RrType(39);
  public static final RrType OPT = new RrType(41);
  public static final RrType DS = new RrType(43);
  public static final RrType IXFR = new RrType(251);
  public static final RrType AXFR = new RrType(252);
  public static final RrType ANY = new RrType(255);
  public static final RrType CAA = new RrType(257);

  public RrType {
    if (code < 0 || code > 65535) {
      throw new IllegalArgumentException("type " + code + " (expected: 0..65535)");
    }
  }

  public static RrType valueOf(int code) {
    return switch (code) {
      case 1 -> A;
      case 2 -> NS;
      case 5 -> CNAME;
      case 6 -> SOA;
      case 12 -> PTR;
      case 13 -> HINFO;
      case 15 -> MX;
      case 16 -> TXT;
      case 28 -> AAAA;
      case 33 -> SRV;
      case 39 -> DNAME;
      case 41 -> OPT;
      case 43 -> DS;
      case 251 -> IXFR;
      case 252 -> AXFR;
      case 255 -> ANY;
      case 257 -> CAA;
      default -> new RrType(code);
    };
  }

  @Override
  public String toString() {
    return switch (code) {
      case 1 -> "A";
      case 2 -> "NS";
      case 5 -> "CNAME";
      case 6 -> "SOA";
      case 12 -> "PTR";
      case 13 -> "HINFO";
      case 15 -> "MX";
      case 16 -> "TXT";
      case 28 -> "AAAA";
      case 33 -> "SRV";
      case 39 -> "DNAME";
      case 41 -> "OPT";
      case 43 -> "DS";
      case 251 -> "IXFR";
      case 252 -> "AXFR";
      case 255 -> "ANY";
      case 257 -> "CAA";
      default -> "TYPE" + code;
    };
  }
}
