package org.example.lb.dns.health;

import java.util.ArrayList;
import java.util.List;

/**
 * The line format of extfile data and of the admin_state file: one {@code KEY => STATE[/TTL]} per line (also
 * {@code KEY = VALUE}), {@code #} and {@code ;} comments, blank lines, optional double quotes and trailing comma. This
 * is the one-entry-per-line subset of gdnsd's vscf hash syntax that its extfile and admin_state examples use
 * (gdnsd-plugin-extfile(8), gdnsd(8) "ADMIN STATE FILE"); nested hashes, arrays and escapes are not read.
 *
 * <p>Whether a file is complete (a writer may be at work) is for its watcher to judge ({@link StateFile}).
 *
 * @param entries the well-formed lines, in file order
 * @param errors the malformed ones, each {@code LINE: what (expected: ...)}
 */
public record StateLines(List<Entry> entries, List<String> errors) {
  public StateLines {
    entries = List.copyOf(entries);
    errors = List.copyOf(errors);
  }

  /**
   * One line's key and state.
   *
   * @param line 1-based
   */
  public record Entry(int line, String key, HealthState state) {}

  /** Reads {@code text}; a state without a TTL gets {@code defaultTtl}. */
  public static StateLines parse(String text, long defaultTtl) {
    List<Entry> entries = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = stripComment(lines[i]).strip();
      if (line.endsWith(",")) {
        line = line.substring(0, line.length() - 1).strip();
      }
      if (line.isEmpty()) {
        continue;
      }
      int arrow = line.indexOf("=>");
      int equals = line.indexOf('=');
      int at = arrow >= 0 ? arrow : equals;
      int width = arrow >= 0 ? 2 : 1;
      String key = at > 0 ? unquote(line.substring(0, at).strip()) : "";
      String value = at > 0 ? unquote(line.substring(at + width).strip()) : "";
      if (key.isEmpty() || value.isEmpty()) {
        errors.add((i + 1) + ": \"" + printable(lines[i]) + "\" (expected: KEY => UP or DOWN, optionally /TTL)");
        continue;
      }
      try {
        entries.add(new Entry(i + 1, key, HealthState.parse(value, defaultTtl)));
      } catch (IllegalArgumentException e) {
        errors.add((i + 1) + ": " + key + ": " + e.getMessage());
      }
    }
    return new StateLines(entries, errors);
  }

  private static String stripComment(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == '#' || c == ';')) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 60; i++) {
      char c = s.charAt(i);
      b.append(c >= ' ' && c < 127 && c != '"' ? c : '?');
    }
    return s.length() > 60 ? b + "..." : b.toString();
  }
}
