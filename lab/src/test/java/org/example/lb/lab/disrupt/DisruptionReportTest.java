package org.example.lb.lab.disrupt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.example.lb.lab.load.ConnectionResult;
import org.example.lb.lab.load.ConnectionResult.Kind;
import org.example.lb.lab.load.FailureReason;
import org.junit.jupiter.api.Test;

class DisruptionReportTest {
  private static final long T0 = 1_000_000L;

  private static ConnectionResult ok(long id, long start, long end, String servedBy) {
    return new ConnectionResult(id, Kind.DOWNLOAD, "203.0.113.1", "198.51.100.1", start, end,
        Optional.ofNullable(servedBy), Optional.empty(), "", 10);
  }

  private static ConnectionResult broken(long id, long start, long end, String servedBy, FailureReason reason) {
    return new ConnectionResult(id, Kind.DOWNLOAD, "203.0.113.1", "198.51.100.1", start, end,
        Optional.ofNullable(servedBy), Optional.of(reason), "x", 10);
  }

  private static DisruptionReport report(Expectation expectation, List<ConnectionResult> connections) {
    Scenario s = new Scenario() {
      public String name() {
        return "test";
      }

      public String summary() {
        return "a test";
      }

      public Expectation expectation() {
        return expectation;
      }

      public void event(LabActions lab, Marks marks) {}

      public void restore(LabActions lab) {}
    };
    Marks marks = Marks.of(List.of(new Marks.Mark(T0, "kill", false), new Marks.Mark(T0 + 1000, "down", true)));
    return DisruptionReport.of(s, marks, connections, "");
  }

  @Test
  void nothingBrokenMeetsTheZeroExpectationAndCountsWhatWasOpen() {
    DisruptionReport r = report(Expectation.nothingBreaks(), List.of(ok(1, T0 - 500, T0 + 500, "LB7-1/S1"),
        ok(2, T0 - 900, T0 - 100, "LB7-1/S2"), ok(3, T0 + 100, T0 + 200, "LB7-2/S1")));
    assertThat(r.met()).isTrue();
    assertThat(r.openAtEvent()).isEqualTo(1);
    assertThat(r.started()).isEqualTo(3);
    assertThat(r.text()).contains("broken:    0").contains("verdict:   MET");
  }

  @Test
  void oneBrokenConnectionFailsTheZeroExpectation() {
    DisruptionReport r = report(Expectation.nothingBreaks(), List.of(broken(1, T0 - 500, T0 + 500, "LB7-1/S1",
        FailureReason.RESET)));
    assertThat(r.met()).isFalse();
    assertThat(r.unexpected()).hasSize(1);
    assertThat(r.markdownRow()).contains("**not met**");
  }

  @Test
  void aCrashMayBreakWhatRanThroughTheVictimAndWhatGotNoAnswerBeforeDetection() {
    List<ConnectionResult> c = new ArrayList<>();
    c.add(broken(1, T0 - 3000, T0 + 200, "LB7-2/S1", FailureReason.RESET)); // through the victim
    c.add(broken(2, T0 + 300, T0 + 5300, null, FailureReason.TIMEOUT)); // sent before detection, never answered
    c.add(ok(3, T0 - 100, T0 + 900, "LB7-1/S3"));
    DisruptionReport r = report(Expectation.onlyThrough("LB7-2"), c);
    assertThat(r.victims()).extracting(ConnectionResult::id).containsExactly(1L);
    assertThat(r.unanswered()).extracting(ConnectionResult::id).containsExactly(2L);
    assertThat(r.met()).isTrue();
    assertThat(r.victimOpen()).isEqualTo(1);

    c.add(broken(4, T0 + 2000, T0 + 2100, null, FailureReason.REFUSED)); // after detection: not the victim's
    c.add(broken(5, T0 - 100, T0 + 100, "LB7-3/S3", FailureReason.RESET)); // another LB7's
    DisruptionReport worse = report(Expectation.onlyThrough("LB7-2"), c);
    assertThat(worse.unexpected()).extracting(ConnectionResult::id).containsExactly(4L, 5L);
    assertThat(worse.met()).isFalse();
    assertThat(worse.text()).contains("through LB7-2: 1, unanswered before detection: 1, others: 2");
  }

  @Test
  void anLb4VictimIsNeverNamedInAnswersSoOnlyUnansweredConnectionsMayBeIts() {
    List<ConnectionResult> c = new ArrayList<>();
    c.add(broken(1, T0 + 300, T0 + 5300, null, FailureReason.TIMEOUT)); // its SYN went to the dead LB4
    c.add(ok(2, T0 - 3000, T0 + 9000, "LB7-1/S3"));
    DisruptionReport r = report(Expectation.onlyUnansweredSentTo("LB4-2"), c);
    assertThat(r.expectation().text()).isEqualTo("only unanswered ones sent to LB4-2");
    assertThat(r.unanswered()).extracting(ConnectionResult::id).containsExactly(1L);
    assertThat(r.met()).isTrue();
    assertThat(r.text()).contains("1 open when the event began\n")
        .contains("broken:    1 (timeout 1); unanswered before detection: 1, others: 0");

    c.add(broken(3, T0 - 3000, T0 + 4000, "LB7-2/S1", FailureReason.RESET)); // answered, then broken: not allowed
    DisruptionReport worse = report(Expectation.onlyUnansweredSentTo("LB4-2"), c);
    assertThat(worse.victims()).isEmpty();
    assertThat(worse.unexpected()).extracting(ConnectionResult::id).containsExactly(3L);
    assertThat(worse.met()).isFalse();
    assertThat(worse.markdownRow()).contains("| 2 (1 unanswered, 1 others) | **not met** |");
  }

  @Test
  void aServerVictimIsMatchedOnTheServerPartOfServedBy() {
    DisruptionReport r = report(Expectation.onlyThrough("S3"), List.of(
        broken(1, T0 - 100, T0 + 100, "LB7-4/S3", FailureReason.SHORT_BODY),
        broken(2, T0 - 100, T0 + 100, "LB7-3/S4", FailureReason.SHORT_BODY)));
    assertThat(r.victims()).extracting(ConnectionResult::id).containsExactly(1L);
    assertThat(r.unexpected()).extracting(ConnectionResult::id).containsExactly(2L);
  }

  @Test
  void theReadmeTableHasAHeaderAndARowPerScenario() {
    DisruptionReport r = report(Expectation.onlyThrough("S3"), List.of(
        broken(1, T0 - 100, T0 + 100, "LB7-4/S3", FailureReason.SHORT_BODY)));
    assertThat(DisruptionMatrix.table(List.of(r)).split("\n")).containsExactly(
        "| scenario | what happens | expected | open at the event | broken | verdict |",
        "| --- | --- | --- | ---: | --- | --- |",
        "| `test` | a test | only S3's | 1 | 1 (1 through S3, 0 unanswered, 0 others) | met |");
  }

  @Test
  void aFailedRunIsNeverMet() {
    Scenario s = Scenarios.named("lb4-disable").orElseThrow();
    DisruptionReport r = DisruptionReport.of(s, Marks.of(List.of()), List.of(), "waited 40 s for x");
    assertThat(r.met()).isFalse();
    assertThat(r.text()).contains("error:     waited 40 s for x");
  }
}
