package org.example.lb.dns.zone;

/**
 * A zone file cannot be served. {@link #getMessage()} is one line: {@code FILE:LINE: what is wrong (expected: ...)}.
 */
public final class ZoneException extends Exception {
  private static final long serialVersionUID = 1L;

  public ZoneException(String message) {
    super(message, null, false, false);
  }
}
