package org.example.lb.lab.bench;

/**
 * The part of docs/benchmarks.md that {@code bin/lab bench} owns: everything from {@link #BEGIN} to {@link #END}.
 * The rest of the file is written by people and kept byte for byte.
 */
public final class GeneratedSection {
  /** Opens the generated section; a line of its own. */
  public static final String BEGIN = "<!-- bin/lab bench: begin (generated: rerun the command, do not edit) -->";
  /** Closes it. */
  public static final String END = "<!-- bin/lab bench: end -->";

  private GeneratedSection() {}

  /**
   * {@code document} with its generated section holding {@code body} (a newline is added if it lacks one). When the
   * document has both markers, only the text from {@link #BEGIN} through {@link #END} changes; when it has neither,
   * the section is inserted before the first {@code ## } heading (or appended at the end), followed by an empty
   * line. Replacing with the same body again gives the same document.
   *
   * @throws IllegalArgumentException when the document has a marker more than once, only one of them, or the end
   *                                  before the begin; or when {@code body} contains a marker
   */
  public static String replace(String document, String body) {
    if (body.contains(BEGIN) || body.contains(END)) {
      throw new IllegalArgumentException("the generated text contains a marker of the generated section");
    }
    String section = BEGIN + "\n" + (body.endsWith("\n") ? body : body + "\n") + END;
    int begin = document.indexOf(BEGIN);
    int end = document.indexOf(END);
    boolean twice = begin >= 0 && document.indexOf(BEGIN, begin + 1) >= 0
        || end >= 0 && document.indexOf(END, end + 1) >= 0;
    if (twice || (begin < 0) != (end < 0) || begin > end) {
      throw new IllegalArgumentException("the generated section's markers are broken (expected each of `" + BEGIN
          + "` and `" + END + "` once, in that order, or neither)");
    }
    if (begin >= 0) {
      return document.substring(0, begin) + section + document.substring(end + END.length());
    }
    int heading = document.startsWith("## ") ? 0 : document.indexOf("\n## ");
    if (heading < 0) {
      String separator = document.isEmpty() || document.endsWith("\n\n") ? "" : document.endsWith("\n") ? "\n"
          : "\n\n";
      return document + separator + section + "\n";
    }
    int at = heading == 0 ? 0 : heading + 1;
    return document.substring(0, at) + section + "\n\n" + document.substring(at);
  }
}
