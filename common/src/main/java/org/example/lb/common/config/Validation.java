package org.example.lb.common.config;

import java.net.InetAddress;
import java.time.Duration;

/**
 * Checks used by config records in their compact constructors. Each failure throws
 * {@link IllegalArgumentException} whose message reads {@code field: value (expected: what)};
 * {@link ConfigLoader} prefixes it with the file and line.
 */
public final class Validation {
  private Validation() {}

  public static IllegalArgumentException invalid(String field, Object value, String expected) {
    return new IllegalArgumentException(field + ": " + value + " (expected: " + expected + ")");
  }

  public static <T> T required(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": missing (expected: a value)");
    }
    return value;
  }

  public static int port(String field, int value) {
    if (value < 1 || value > 65535) {
      throw invalid(field, value, "a port 1-65535");
    }
    return value;
  }

  public static int range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw invalid(field, value, "an integer " + min + "-" + max);
    }
    return value;
  }

  public static Duration positive(String field, Duration value) {
    required(field, value);
    if (value.isNegative() || value.isZero()) {
      throw invalid(field, value, "a positive duration such as 500ms or 2s");
    }
    return value;
  }

  public static String nonBlank(String field, String value) {
    if (value == null || value.isBlank()) {
      throw invalid(field, value == null ? "missing" : "\"" + value + "\"", "a non-empty string");
    }
    return value;
  }

  /** Parses an IP literal (never a host name: no resolver is consulted). */
  public static InetAddress ipLiteral(String field, String value) {
    return Addresses.parseLiteral(value)
        .orElseThrow(() -> invalid(field, value, "an IPv4 or IPv6 address literal"));
  }
}
