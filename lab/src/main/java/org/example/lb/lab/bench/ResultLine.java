package org.example.lb.lab.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One line of the results file that {@code bin/bench-l4 --results FILE} and {@code bin/bench-dns --results FILE}
 * write: a kind word, then space-separated {@code key=value} fields ({@code throughput payload=64 side=kernel
 * delivered_pps=853602 ...}). A value of {@code -} means "not measured".
 *
 * @param kind   the first word
 * @param fields the fields in line order
 */
public record ResultLine(String kind, Map<String, String> fields) {
  public ResultLine {
    fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /**
   * Parses a whole results file. Blank lines and lines starting with {@code #} are skipped.
   *
   * @param source names the file in error messages
   * @throws IllegalArgumentException naming the source, the line number and the bad word, for a word that is not
   *                                  {@code key=value} or a key that repeats
   */
  public static List<ResultLine> parseAll(String source, String text) {
    List<ResultLine> lines = new ArrayList<>();
    String[] rows = text.split("\n", -1);
    for (int i = 0; i < rows.length; i++) {
      String row = rows[i].strip();
      if (row.isEmpty() || row.startsWith("#")) {
        continue;
      }
      String[] words = row.split("\\s+");
      Map<String, String> fields = new LinkedHashMap<>();
      for (int w = 1; w < words.length; w++) {
        int eq = words[w].indexOf('=');
        if (eq <= 0 || fields.put(words[w].substring(0, eq), words[w].substring(eq + 1)) != null) {
          throw new IllegalArgumentException(source + ":" + (i + 1) + ": " + words[w]
              + " (expected: key=value, each key once)");
        }
      }
      lines.add(new ResultLine(words[0], fields));
    }
    return lines;
  }

  /** The field's text, unless it is missing or {@code -}. */
  public Optional<String> text(String key) {
    String value = fields.get(key);
    return value == null || value.equals("-") ? Optional.empty() : Optional.of(value);
  }

  /** The field as a number, unless it is missing, {@code -} or not a number. */
  public OptionalDouble number(String key) {
    Optional<String> value = text(key);
    if (value.isEmpty()) {
      return OptionalDouble.empty();
    }
    try {
      double v = Double.parseDouble(value.get());
      return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  /** True when the line is of {@code kind} and has every {@code key=value} pair of {@code match}. */
  public boolean is(String kind, Map<String, String> match) {
    return this.kind.equals(kind)
        && match.entrySet().stream().allMatch(e -> e.getValue().equals(fields.get(e.getKey())));
  }
}
