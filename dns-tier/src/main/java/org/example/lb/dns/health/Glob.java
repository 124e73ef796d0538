package org.example.lb.dns.health;

import java.util.regex.Pattern;

/**
 * A shell glob as fnmatch(3) without flags reads it, which is how gdnsd matches admin_state keys: {@code *} any run of
 * characters ({@code /} included), {@code ?} one character, {@code [...]} a set ({@code [!...]} or {@code [^...]} its
 * complement), {@code \} quotes the next character.
 *
 * @param text the glob as written
 */
record Glob(String text, Pattern pattern) {
  static Glob of(String text) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '\\' -> {
          if (i + 1 < text.length()) {
            re.append(Pattern.quote(String.valueOf(text.charAt(++i))));
          } else {
            re.append("\\\\");
          }
        }
        case '[' -> {
          int end = text.indexOf(']', i + 2);
          if (end < 0) {
            re.append("\\[");
          } else {
            String set = text.substring(i + 1, end);
            boolean negated = set.startsWith("!") || set.startsWith("^");
            if (negated) {
              set = set.substring(1);
            }
            re.append('[').append(negated ? "^" : "").append(set.replace("\\", "\\\\").replace("[", "\\["))
                .append(']');
            i = end;
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new Glob(text, Pattern.compile(re.toString(), Pattern.DOTALL));
  }

  boolean matches(String key) {
    return pattern.matcher(key).matches();
  }
}
