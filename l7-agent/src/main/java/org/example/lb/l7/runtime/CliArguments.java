package org.example.lb.l7.runtime;

import java.util.regex.Pattern;

/**
 * Checks of values spliced into CLI command lines, so that no argument can end the command
 * ({@code ;}), escape ({@code \}), start another line, or split into two arguments.
 */
final class CliArguments {
  /** HAProxy's rule for proxy and server names (invalid_char): letters, digits, '.', '-', '_', ':'. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]+");

  private CliArguments() {}

  static String name(String field, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(field + ": " + (value == null ? "missing" : "\"" + value + "\"")
          + " (expected: a name of letters, digits, '.', '-', '_', ':')");
    }
    return value;
  }

  static String token(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(field + ": missing (expected: a non-empty argument)");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == ';' || c == '\\' || c == 0x7f) {
        throw new IllegalArgumentException(field + ": \"" + value.strip()
            + "\" (expected: one argument without spaces, control characters, ';' or '\\')");
      }
    }
    return value;
  }
}
