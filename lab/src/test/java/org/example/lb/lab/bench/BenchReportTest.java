package org.example.lb.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  private static final MachineInfo MACHINE = new MachineInfo(2, "6.1.0-28-amd64", "AMD EPYC 7B13", "24 GiB",
      "25.0.3+9-LTS (Eclipse Adoptium)");

  @Test
  void theSectionSaysWhenWhereHowThenOneTablePerBenchmark() {
    Comparison dns = new Comparison("DNS: dns-tier vs gdnsd", "dns-tier", "gdnsd", List.of(new Comparison.Row(
        "UDP: queries/s", Quantity.of(126899, "", 0), Quantity.of(117359, "", 0), true)),
        List.of("`bin/bench-dns`"));
    BenchReport report = new BenchReport(Instant.parse("2026-12-05T10:15:30Z"), MACHINE,
        "bin/lab bench --only dns,http", "0.10 0.20 0.30", "1.00 0.50 0.40", false, "No lab was up.",
        List.of(BenchReport.Outcome.of(BenchPart.DNS, dns),
            BenchReport.Outcome.failed(BenchPart.HTTP, "bin/lab up failed (exit 1)")));
    assertThat(report.failed()).isTrue();
    assertThat(report.markdown()).isEqualTo("""
        Run of 2026-12-05 10:15 UTC: `sudo bin/lab bench --only dns,http` on 2 CPUs (AMD EPYC 7B13), 24 GiB, Linux \
        6.1.0-28-amd64; JDK 25.0.3+9-LTS (Eclipse Adoptium). Load average (1, 5, 15 min): 0.10 0.20 0.30 at the \
        start, 1.00 0.50 0.40 at the end. No lab was up.

        ### DNS: dns-tier vs gdnsd

        | measure | dns-tier | gdnsd | dns-tier / gdnsd |
        | --- | ---: | ---: | ---: |
        | UDP: queries/s | 126 899 | 117 359 | 1.08 |

        - `bin/bench-dns`

        ### http: failed

        bin/lab up failed (exit 1)
        """);
  }

  @Test
  void aQuickRunSaysItIsNoMeasurement() {
    BenchReport report = new BenchReport(Instant.EPOCH, MACHINE, "bin/lab bench --quick", "0 0 0", "0 0 0", true,
        "", List.of());
    assertThat(report.failed()).isFalse();
    assertThat(report.markdown()).startsWith("**A quick run (`--quick`): a smoke test of the command, not a "
        + "measurement.**\n\nRun of 1970-01-01 00:00 UTC: `sudo bin/lab bench --quick`");
  }

  @Test
  void quantitiesRoundAndGroupAsTheHandWrittenTables() {
    assertThat(Quantity.of(126899.4, "", 0).text()).isEqualTo("126 899");
    assertThat(Quantity.of(1234567, "", 0).text()).isEqualTo("1 234 567");
    assertThat(Quantity.of(9999, "", 0).text()).isEqualTo("9999");
    assertThat(Quantity.of(4.155, "ms", 2).text()).isEqualTo("4.16 ms");
    assertThat(Quantity.of(0.2, "%", 2).text()).isEqualTo("0.20 %");
    assertThat(Quantity.of(-12345.6, "µs", 1).text()).isEqualTo("-12 345.6 µs");
    assertThat(Quantity.of(Double.NaN, "µs", 1).text()).isEqualTo("—");
    assertThat(Quantity.of(OptionalDouble.empty(), "", 0).text()).isEqualTo("—");
  }

  @Test
  void ratiosNeedBothSidesAndANonZeroAnchor() {
    assertThat(new Comparison.Row("m", Quantity.of(1, "", 0), Quantity.of(0, "", 0), true).ratioText())
        .isEqualTo("—");
    assertThat(new Comparison.Row("m", Quantity.of(3, "", 0), Quantity.of(2, "", 0), true).ratioText())
        .isEqualTo("1.50");
    assertThat(new Comparison.Row("m", Quantity.of(3, "", 0), Quantity.of(2, "", 0), false).ratioText())
        .isEqualTo("—");
  }

  @Test
  void theLabNoteSaysWhichNumbersRanBesideALab() {
    var all = java.util.EnumSet.allOf(BenchPart.class);
    assertThat(LabBench.labNote(all, true, false)).isEqualTo("A lab was up during the whole run: the L4 and DNS "
        + "numbers were taken with it running (less reliable). HTTP used the lab that was up.");
    assertThat(LabBench.labNote(all, false, true)).isEqualTo(
        "L4 and DNS ran with no lab up; the command brought the lab up for HTTP and took it down at the end.");
    assertThat(LabBench.labNote(java.util.EnumSet.of(BenchPart.DNS), false, false)).isEqualTo("No lab was up.");
  }

  @Test
  void machineFactsComeFromProc() {
    assertThat(MachineInfo.cpuModel("processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel\t\t: 1\n"
        + "model name\t: AMD EPYC 7B13\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n")).isEqualTo("AMD EPYC 7B13");
    assertThat(MachineInfo.cpuModel("processor : 0\nModel : Raspberry Pi 4 Model B Rev 1.4\n"))
        .isEqualTo("Raspberry Pi 4 Model B Rev 1.4");
    assertThat(MachineInfo.cpuModel("")).isEqualTo("unknown");
    assertThat(MachineInfo.memory("MemTotal:       24609880 kB\nMemFree: 1 kB\n")).isEqualTo("23 GiB");
    assertThat(MachineInfo.memory("nothing")).isEqualTo("unknown");
    assertThat(MACHINE.description()).isEqualTo("2 CPUs (AMD EPYC 7B13), 24 GiB, Linux 6.1.0-28-amd64");
  }
}
