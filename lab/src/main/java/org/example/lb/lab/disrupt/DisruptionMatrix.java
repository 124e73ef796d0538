package org.example.lb.lab.disrupt;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.example.lb.common.config.ConfigLoader;

/** {@code bin/lab disrupt}: runs scenarios one after the other and prints their reports. */
public final class DisruptionMatrix {
  private DisruptionMatrix() {}

  /**
   * Runs each named scenario with {@code run} and prints each report as text (on {@code err} when {@code json}, the
   * JSON array then on {@code out}), and with {@code markdown} the README's table. Returns the exit code: 0 when every
   * expectation was met, 1 otherwise.
   */
  public static int run(DisruptionRun run, List<String> names, boolean json, boolean markdown, PrintStream out,
      PrintStream err) throws IOException {
    PrintStream text = json ? err : out;
    List<DisruptionReport> reports = new ArrayList<>();
    for (String name : names) {
      DisruptionReport r = run.run(Scenarios.named(name).orElseThrow(() -> new IllegalArgumentException(name)));
      reports.add(r);
      text.print(r.text());
    }
    if (json) {
      out.println(ConfigLoader.json().writerWithDefaultPrettyPrinter()
          .writeValueAsString(reports.stream().map(DisruptionReport::toJson).toList()));
    }
    if (markdown) {
      text.println();
      text.println(table(reports));
    }
    return reports.stream().allMatch(DisruptionReport::met) ? 0 : 1;
  }

  /** The README's table: a header and one row per report. */
  public static String table(List<DisruptionReport> reports) {
    StringBuilder b = new StringBuilder();
    b.append("| scenario | what happens | expected | open at the event | broken | verdict |\n");
    b.append("| --- | --- | --- | ---: | --- | --- |\n");
    reports.forEach(r -> b.append(r.markdownRow()).append('\n'));
    return b.toString().stripTrailing();
  }
}
