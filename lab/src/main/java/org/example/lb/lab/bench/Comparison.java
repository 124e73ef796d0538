package org.example.lb.lab.bench;

import java.util.List;
import java.util.Locale;

/**
 * One benchmark's table in the report: each measure of the thing measured ({@code subject}) beside the same measure
 * of its anchor, and their ratio.
 *
 * @param title   the table's heading
 * @param subject what is measured, e.g. {@code director}
 * @param anchor  what it is measured against, e.g. {@code kernel forwarding}
 * @param rows    the measures
 * @param notes   lines shown under the table (settings, per-round values, warnings)
 */
public record Comparison(String title, String subject, String anchor, List<Row> rows, List<String> notes) {
  public Comparison {
    rows = List.copyOf(rows);
    notes = List.copyOf(notes);
  }

  /**
   * A measure on both sides.
   *
   * @param ratio whether the subject / anchor ratio means something for this measure (not for a loss count)
   */
  public record Row(String measure, Quantity subject, Quantity anchor, boolean ratio) {
    /** Subject over anchor with 2 decimals, or an em dash when not meaningful, not measured or the anchor is 0. */
    public String ratioText() {
      if (!ratio || subject.value().isEmpty() || anchor.value().isEmpty() || anchor.value().getAsDouble() == 0) {
        return "—";
      }
      return String.format(Locale.ROOT, "%.2f", subject.value().getAsDouble() / anchor.value().getAsDouble());
    }
  }

  /** The table as Markdown (a heading, the table, the notes as a list), ending with a newline. */
  public String markdown() {
    StringBuilder md = new StringBuilder("### ").append(title).append("\n\n");
    md.append("| measure | ").append(subject).append(" | ").append(anchor).append(" | ").append(subject)
        .append(" / ").append(anchor).append(" |\n");
    md.append("| --- | ---: | ---: | ---: |\n");
    for (Row row : rows) {
      md.append("| ").append(row.measure()).append(" | ").append(row.subject().text()).append(" | ")
          .append(row.anchor().text()).append(" | ").append(row.ratioText()).append(" |\n");
    }
    if (!notes.isEmpty()) {
      md.append('\n');
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }
}
