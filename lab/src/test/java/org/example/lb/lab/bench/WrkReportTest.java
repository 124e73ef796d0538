package org.example.lb.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WrkReportTest {
  @Test
  void readsEveryNumberOfARealRun() {
    WrkReport r = WrkReport.parse(Samples.read("wrk-v4vip.txt"));
    assertThat(r.requestsPerSecond()).isEqualTo(4781.09);
    assertThat(r.requests()).isEqualTo(9646);
    assertThat(r.seconds()).isCloseTo(2.02, within(1e-9));
    assertThat(r.latencyAvgMicros()).isCloseTo(4160, within(1e-6));
    assertThat(r.latencyMaxMicros()).isCloseTo(24020, within(1e-6));
    assertThat(r.p50Micros()).isCloseTo(3620, within(1e-6));
    assertThat(r.p75Micros()).isCloseTo(5200, within(1e-6));
    assertThat(r.p90Micros()).isCloseTo(7160, within(1e-6));
    assertThat(r.p99Micros()).isCloseTo(13870, within(1e-6));
    assertThat(r.errors()).isZero();
  }

  @Test
  void readsTheOtherTargetsOfTheSameRun() {
    assertThat(WrkReport.parse(Samples.read("wrk-v4lb7.txt")).requestsPerSecond()).isEqualTo(6015.68);
    assertThat(WrkReport.parse(Samples.read("wrk-v6vip.txt")).p99Micros()).isCloseTo(15280, within(1e-6));
    WrkReport v6lb7 = WrkReport.parse(Samples.read("wrk-v6lb7.txt"));
    assertThat(v6lb7.requests()).isEqualTo(11882);
    assertThat(v6lb7.seconds()).isCloseTo(2.09, within(1e-9));
  }

  @Test
  void microsecondLatenciesAndNon2xxAnswers() {
    WrkReport r = WrkReport.parse(Samples.read("wrk-non2xx.txt"));
    assertThat(r.latencyAvgMicros()).isCloseTo(575.88, within(1e-9));
    assertThat(r.p50Micros()).isCloseTo(325, within(1e-9));
    assertThat(r.p99Micros()).isCloseTo(4600, within(1e-6));
    assertThat(r.non2xx3xx()).isEqualTo(4874);
    assertThat(r.socketErrors()).isZero();
    assertThat(r.errors()).isEqualTo(4874);
  }

  @Test
  void socketErrorsAddUp() {
    WrkReport r = WrkReport.parse(Samples.read("wrk-socket-errors.txt"));
    assertThat(r.socketErrors()).isEqualTo(15);
    assertThat(r.requestsPerSecond()).isEqualTo(4781.09);
  }

  @Test
  void aRunWithoutAnswersIsReadAsZeroRequests() {
    WrkReport r = WrkReport.parse(Samples.read("wrk-no-requests.txt"));
    assertThat(r.requests()).isZero();
    assertThat(r.requestsPerSecond()).isZero();
  }

  @Test
  void aFailedRunIsAnErrorQuotingWrk() {
    assertThatThrownBy(() -> WrkReport.parse(Samples.read("wrk-refused.txt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wrk printed no Requests/sec line: unable to connect to 192.0.2.71:81 Connection refused");
    assertThatThrownBy(() -> WrkReport.parse("")).hasMessageEndingWith("(no output)");
  }

  @Test
  void withoutLatencyDistributionItSaysWhatIsMissing() {
    String text = Samples.read("wrk-v4vip.txt").replaceAll("(?m)^\\s+(50|75|90|99)%.*\\n", "");
    assertThatThrownBy(() -> WrkReport.parse(text)).hasMessageContaining("--latency");
  }

  @Test
  void everyTimeUnitOfWrk() {
    assertThat(WrkReport.micros("12.50us", "")).isEqualTo(12.5);
    assertThat(WrkReport.micros("1.25ms", "")).isEqualTo(1250);
    assertThat(WrkReport.micros("2.00s", "")).isEqualTo(2_000_000);
    assertThat(WrkReport.micros("1.50m", "")).isEqualTo(90_000_000);
    assertThat(WrkReport.micros("1.00h", "")).isEqualTo(3_600_000_000.0);
    assertThatThrownBy(() -> WrkReport.micros("12.5", "out")).hasMessageContaining("12.5");
  }
}
