package org.example.lb.lab.disrupt;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.example.lb.lab.load.ConnectionResult;
import org.example.lb.lab.load.FailureReason;
import org.example.lb.lab.load.LoadSummary;

/**
 * The outcome of one scenario under load: how many connections broke, whose they were, against the expectation.
 *
 * <p>A broken connection is the victim's when its {@code X-Served-By} names the victim, or, having failed before any
 * answer, when it began before the crash was detected and was still open when the crash happened (then it may have
 * been sent to the victim; the report counts these apart). Any other broken connection fails the expectation.
 *
 * @param scenario    the scenario's name
 * @param summary     what happened, in a line
 * @param expectation what may break
 * @param knownLimit  what the design is known to do here, or empty
 * @param marks       the event's timeline
 * @param started     connections started during the run
 * @param completed   of them, completed
 * @param openAtEvent connections open when the event began
 * @param victimOpen  of those, through the victim
 * @param broken      the broken connections (every failure)
 * @param error       why the run itself failed (a wait timed out, a command failed), or empty
 */
public record DisruptionReport(String scenario, String summary, Expectation expectation, String knownLimit,
    List<Marks.Mark> marks, long started, long completed, long openAtEvent, long victimOpen,
    List<ConnectionResult> broken, String error) {

  public DisruptionReport {
    marks = List.copyOf(marks);
    broken = List.copyOf(broken);
  }

  /** Builds the report from every connection of the run. */
  static DisruptionReport of(Scenario s, Marks marks, List<ConnectionResult> connections, String error) {
    long event = marks.start();
    long open = connections.stream().filter(c -> c.openAt(event)).count();
    long victimOpen = s.expectation().namedVictim()
        .map(v -> connections.stream().filter(c -> c.openAt(event) && through(c, v)).count()).orElse(0L);
    List<ConnectionResult> broken = connections.stream().filter(ConnectionResult::failed).toList();
    return new DisruptionReport(s.name(), s.summary(), s.expectation(), s.knownLimit(), marks.all(),
        connections.size(), connections.stream().filter(c -> !c.failed()).count(), open, victimOpen, broken, error);
  }

  static boolean through(ConnectionResult c, String node) {
    return c.balancer().filter(node::equals).isPresent() || c.server().filter(node::equals).isPresent();
  }

  /** Broken connections whose answer named the victim. */
  public List<ConnectionResult> victims() {
    return expectation.namedVictim().map(v -> broken.stream().filter(c -> through(c, v)).toList())
        .orElse(List.of());
  }

  /** Broken before any answer, begun before the crash was detected and open when it happened: maybe the victim's. */
  public List<ConnectionResult> unanswered() {
    if (expectation.victim().isEmpty()) {
      return List.of();
    }
    long crash = eventStart();
    long detected = marks.stream().filter(Marks.Mark::detected).mapToLong(Marks.Mark::epochMs).findFirst()
        .orElse(crash);
    return broken.stream().filter(c -> c.servedBy().isEmpty() && c.startedMs() <= detected && c.endedMs() >= crash)
        .toList();
  }

  /** Broken connections the expectation does not allow. */
  public List<ConnectionResult> unexpected() {
    List<ConnectionResult> out = new ArrayList<>(broken);
    out.removeAll(victims());
    out.removeAll(unanswered());
    return out;
  }

  public boolean met() {
    return error.isEmpty() && unexpected().isEmpty();
  }

  public long eventStart() {
    return marks.isEmpty() ? 0 : marks.getFirst().epochMs();
  }

  public Map<FailureReason, Long> brokenByReason() {
    Map<FailureReason, Long> out = new EnumMap<>(FailureReason.class);
    for (ConnectionResult c : broken) {
      out.merge(c.failure().orElseThrow(), 1L, Long::sum);
    }
    return out;
  }

  /** The report as text, several lines. */
  public String text() {
    StringBuilder b = new StringBuilder();
    b.append("scenario ").append(scenario).append(": ").append(summary).append('\n');
    b.append("  expected:  ").append(expectation.text()).append('\n');
    long t0 = eventStart();
    for (Marks.Mark m : marks) {
      b.append(String.format("  %+7.2fs   %s%s%n", (m.epochMs() - t0) / 1000.0, m.what(),
          m.detected() ? " (detected)" : ""));
    }
    b.append(String.format("  load:      %d connections started, %d completed; %d open when the event began%s%n",
        started, completed, openAtEvent, expectation.namedVictim().map(v -> " (" + victimOpen + " through " + v + ")")
            .orElse("")));
    b.append("  broken:    ").append(broken.size());
    if (!broken.isEmpty()) {
      StringBuilder reasons = new StringBuilder();
      brokenByReason().forEach((r, n) -> reasons.append(reasons.isEmpty() ? "" : ", ").append(r.key()).append(' ')
          .append(n));
      b.append(" (").append(reasons).append(')');
      if (expectation.victim().isPresent()) {
        b.append("; ").append(expectation.namedVictim().map(v -> "through " + v + ": " + victims().size() + ", ")
            .orElse("")).append("unanswered before detection: ").append(unanswered().size()).append(", others: ")
            .append(unexpected().size());
      }
    }
    b.append('\n');
    for (ConnectionResult c : unexpected().stream().limit(10).toList()) {
      b.append(String.format("    %s %s -> %s %s, %+.2fs..%+.2fs: %s %s%n", c.kind().name().toLowerCase(), c.source(),
          c.target(), c.servedBy().orElse("(no answer)"), (c.startedMs() - t0) / 1000.0, (c.endedMs() - t0) / 1000.0,
          c.failure().map(FailureReason::key).orElse(""), c.detail()));
    }
    if (!error.isEmpty()) {
      b.append("  error:     ").append(error).append('\n');
    }
    if (!knownLimit.isEmpty()) {
      b.append("  known:     ").append(knownLimit).append('\n');
    }
    b.append("  verdict:   ").append(met() ? "MET" : "NOT MET").append('\n');
    return b.toString();
  }

  /** The report as a JSON tree. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("scenario", scenario);
    json.put("summary", summary);
    json.put("expected", expectation.text());
    json.put("met", met());
    json.put("marks", marks.stream().map(m -> Map.of("atMs", m.epochMs() - eventStart(), "what", m.what(),
        "detected", m.detected())).toList());
    json.put("started", started);
    json.put("completed", completed);
    json.put("openAtEvent", openAtEvent);
    json.put("victimOpen", victimOpen);
    json.put("broken", broken.size());
    Map<String, Object> reasons = new LinkedHashMap<>();
    brokenByReason().forEach((r, n) -> reasons.put(r.key(), n));
    json.put("brokenBy", reasons);
    json.put("brokenThroughVictim", victims().size());
    json.put("brokenUnanswered", unanswered().size());
    json.put("brokenUnexpected", unexpected().size());
    json.put("brokenConnections", broken.stream().map(LoadSummary::connection).toList());
    json.put("knownLimit", knownLimit);
    json.put("error", error);
    return json;
  }

  /** One row of the README's disruption table. */
  public String markdownRow() {
    String whose = expectation.victim().isPresent() && !broken.isEmpty()
        ? " (" + expectation.namedVictim().map(v -> victims().size() + " through " + v + ", ").orElse("")
            + unanswered().size() + " unanswered, " + unexpected().size() + " others)" : "";
    return "| `" + scenario + "` | " + summary + " | " + expectation.text() + " | " + openAtEvent + " | "
        + broken.size() + whose + " | " + (met() ? "met" : "**not met**" + (error.isEmpty() ? "" : ": " + error))
        + " |";
  }
}
