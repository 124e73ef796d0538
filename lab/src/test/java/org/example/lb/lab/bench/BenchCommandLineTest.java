package org.example.lb.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.example.lb.common.cli.ServiceMain;
import org.junit.jupiter.api.Test;

class BenchCommandLineTest {
  @Test
  void onlyTakesACommaSeparatedListOfParts() {
    assertThat(BenchPart.parseList("http")).containsExactly(BenchPart.HTTP);
    assertThat(BenchPart.parseList("HTTP, l4,l4")).isEqualTo(EnumSet.of(BenchPart.L4, BenchPart.HTTP));
    assertThatThrownBy(() -> BenchPart.parseList("l4,l7")).isInstanceOf(ServiceMain.UserError.class)
        .hasMessage("--only l4,l7 (expected: a comma-separated list of l4, dns, http)");
    assertThatThrownBy(() -> BenchPart.parseList("")).isInstanceOf(ServiceMain.UserError.class);
    assertThatThrownBy(() -> BenchPart.parseList("dns,")).isInstanceOf(ServiceMain.UserError.class);
  }

  @Test
  void quickSettingsForHttpAreShort() {
    var quick = LabBench.httpSettings(true, java.util.OptionalInt.empty());
    assertThat(quick.duration().toSeconds()).isEqualTo(2);
    assertThat(quick.rounds()).isEqualTo(1);
    var full = LabBench.httpSettings(false, java.util.OptionalInt.of(5));
    assertThat(full.duration().toSeconds()).isEqualTo(10);
    assertThat(full.rounds()).isEqualTo(5);
  }
}
