package org.example.lb.dns.wire;

/**
 * A resource record class (RFC 1035 §3.2.4). {@link #valueOf} keeps unknown classes as values of their own.
 *
 * @param code 0..65535
 */
public record RrClass(int code) {
  public static final RrClass IN = new RrClass(1);
  public static final RrClass CH = new RrClass(3);
  public static final RrClass HS = new RrClass(4);
  public static final RrClass ANY = new RrClass(255);

  public RrClass {
    if (code < 0 || code > 65535) {
      throw new IllegalArgumentException("class " + code + " (expected: 0..65535)");
    }
  }

  public static RrClass valueOf(int code) {
    return switch (code) {
      case 1 -> IN;
      case 3 -> CH;
      case 4 -> HS;
      case 255 -> ANY;
      default -> new RrClass(code);
    };
  }

  @Override
  public String toString() {
    return switch (code) {
      case 1 -> "IN";
      case 3 -> "CH";
      case 4 -> "HS";
      case 255 -> "ANY";
      default -> "CLASS" + code;
    };
  }
}
