package org.example.lb.dns.wire;

/**
 * A header opcode (RFC 1035 §4.1.1, RFC 6895 §2.2). {@link #valueOf} keeps unknown codes as values of their own.
 *
 * @param code 0..15
 */
public record Opcode(int code) {
  public static final Opcode QUERY = new Opcode(0);
  public static final Opcode IQUERY = new Opcode(1);
  public static final Opcode STATUS = new Opcode(2);
  public static final Opcode NOTIFY = new Opcode(4);
  public static final Opcode UPDATE = new Opcode(5);

  public Opcode {
    if (code < 0 || code > 15) {
      throw new IllegalArgumentException("opcode " + code + " (expected: 0..15)");
    }
  }

  public static Opcode valueOf(int code) {
    return switch (code) {
      case 0 -> QUERY;
      case 1 -> IQUERY;
      case 2 -> STATUS;
      case 4 -> NOTIFY;
      case 5 -> UPDATE;
      default -> new Opcode(code);
    };
  }

  @Override
  public String toString() {
    return switch (code) {
      case 0 -> "QUERY";
      case 1 -> "IQUERY";
      case 2 -> "STATUS";
      case 4 -> "NOTIFY";
      case 5 -> "UPDATE";
      default -> "OPCODE" + code;
    };
  }
}
