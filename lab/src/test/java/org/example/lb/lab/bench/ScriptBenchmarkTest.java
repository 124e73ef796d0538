package org.example.lb.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.example.lb.lab.LabFailure;
import org.junit.jupiter.api.Test;

class ScriptBenchmarkTest {
  @Test
  void resultLinesAreAKindAndKeyValueFields() {
    List<ResultLine> lines = ResultLine.parseAll("f", "# comment\n\n  latency side=kernel p50_us=19.0 lost=0 x=- \n");
    assertThat(lines).hasSize(1);
    ResultLine line = lines.getFirst();
    assertThat(line.kind()).isEqualTo("latency");
    assertThat(line.fields()).containsExactly(java.util.Map.entry("side", "kernel"), java.util.Map.entry("p50_us",
        "19.0"), java.util.Map.entry("lost", "0"), java.util.Map.entry("x", "-"));
    assertThat(line.number("p50_us")).hasValue(19.0);
    assertThat(line.number("x")).isEmpty();
    assertThat(line.number("side")).isEmpty();
    assertThat(line.number("absent")).isEmpty();
    assertThat(line.text("x")).isEmpty();
  }

  @Test
  void aMalformedResultLineNamesItsPlace() {
    assertThatThrownBy(() -> ResultLine.parseAll("bin/bench-l4 --results", "settings a=1\nlatency p50\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bin/bench-l4 --results:2: p50 (expected: key=value, each key once)");
    assertThatThrownBy(() -> ResultLine.parseAll("f", "x a=1 a=2")).hasMessageContaining("each key once");
  }

  @Test
  void benchL4ResultsBecomeTheDirectorVsKernelTable() {
    Comparison c = ScriptBenchmark.l4Comparison(ResultLine.parseAll("f", Samples.read("bench-l4.results")),
        "bin/bench-l4 --rounds 1");
    assertThat(c.subject()).isEqualTo("director");
    assertThat(c.anchor()).isEqualTo("kernel forwarding");
    assertThat(c.rows()).extracting(Comparison.Row::measure).containsExactly(
        "64 B UDP: packets/s delivered", "64 B UDP: loss (of the packets offered)",
        "1400 B UDP: packets/s delivered", "1400 B UDP: loss (of the packets offered)",
        "UDP echo round trip p50", "UDP echo round trip p99", "UDP echo round trip p99.9");
    Comparison.Row pps = c.rows().getFirst();
    assertThat(pps.subject().text()).isEqualTo("115 560");
    assertThat(pps.anchor().text()).isEqualTo("853 602");
    assertThat(pps.ratioText()).isEqualTo("0.14");
    assertThat(c.rows().get(1).subject().text()).isEqualTo("85.5 %");
    assertThat(c.rows().get(1).ratioText()).isEqualTo("—");
    assertThat(c.rows().get(4).subject().text()).isEqualTo("53.4 µs");
    assertThat(c.rows().get(4).anchor().text()).isEqualTo("19.0 µs");
    assertThat(c.rows().get(4).ratioText()).isEqualTo("2.81");
    assertThat(String.join("\n", c.notes())).contains("`bin/bench-l4 --rounds 1`: 1 s per phase after 0.5 s",
        "1 round(s)", "2000 round trips", "64 B: worker 77 %, machine 200 % (director) vs 134 % (kernel)",
        "load average (1 min): 3.34 before, 3.21 after", "kernel 6.18.44-fc-v1272");
  }

  @Test
  void benchDnsResultsBecomeTheDnsTierVsGdnsdTable() {
    Comparison c = ScriptBenchmark.dnsComparison(ResultLine.parseAll("f", Samples.read("bench-dns.results")),
        "bin/bench-dns");
    assertThat(c.subject()).isEqualTo("dns-tier");
    assertThat(c.anchor()).isEqualTo("gdnsd");
    assertThat(c.rows()).extracting(r -> r.measure() + " = " + r.subject().text() + " | " + r.anchor().text() + " | "
        + r.ratioText()).containsExactly(
        "UDP, as fast as answered: queries/s = 106 585 | 105 654 | 1.01",
        "UDP, as fast as answered: lost = 0.00 % | 0.23 % | —",
        "UDP at 50000 queries/s: average latency = 354 µs | 193 µs | 1.83",
        "UDP at 50000 queries/s: answered/s = 49 903 | 49 986 | 1.00",
        "TCP, 4 connections: queries/s = 136 817 | 105 071 | 1.30",
        "dynamic names, as fast as answered: queries/s = 109 911 | 100 626 | 1.09",
        "dynamic names, as fast as answered: lost = 0.00 % | 0.24 % | —");
    assertThat(String.join("\n", c.notes())).contains("`bin/bench-dns`: 1 s per measurement, 1 round(s)",
        "2 worker threads each, dnsperf with 20 clients; not pinned",
        "JDK 25.0.3, gdnsd 3.8.1, dnsperf 2.10.0; load average (1 min): 1.06 at the start, 3.50 at the end");
  }

  @Test
  void missingNumbersShowAsDashesNotErrors() {
    Comparison c = ScriptBenchmark.dnsComparison(ResultLine.parseAll("f", "median kind=udp server=gdnsd qps=5\n"),
        "bin/bench-dns");
    assertThat(c.rows().getFirst().subject().text()).isEqualTo("—");
    assertThat(c.rows().getFirst().anchor().text()).isEqualTo("5");
    assertThat(c.rows().getFirst().ratioText()).isEqualTo("—");
  }

  @Test
  void aRepeatedMeasurementIsNotGuessedAt() {
    String twice = "median kind=udp server=gdnsd qps=5\nmedian kind=udp server=gdnsd qps=6\n";
    assertThatThrownBy(() -> ScriptBenchmark.dnsComparison(ResultLine.parseAll("f", twice), "x"))
        .isInstanceOf(LabFailure.class).hasMessageContaining("expected one");
  }

  @Test
  void quickAndRoundsBecomeTheScriptsArguments() {
    assertThat(ScriptBenchmark.l4(false, OptionalInt.empty()).commandLine()).isEqualTo("bin/bench-l4");
    assertThat(ScriptBenchmark.l4(false, OptionalInt.of(3)).commandLine()).isEqualTo("bin/bench-l4 --rounds 3");
    assertThat(ScriptBenchmark.l4(true, OptionalInt.empty()).commandLine())
        .isEqualTo("bin/bench-l4 --duration 1 --warmup 0.5 --round-trips 2000 --rounds 1");
    assertThat(ScriptBenchmark.dns(true, OptionalInt.of(2)).commandLine())
        .isEqualTo("bin/bench-dns --duration 1 --rounds 2");
    assertThat(ScriptBenchmark.dns(false, OptionalInt.empty()).arguments()).isEmpty();
  }
}
