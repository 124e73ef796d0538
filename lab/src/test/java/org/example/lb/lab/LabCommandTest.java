package org.example.lb.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.example.lb.common.cli.ServiceMain;
import org.junit.jupiter.api.Test;

class LabCommandTest {
  @Test
  void execTakesEverythingAfterTheNodeAsTheCommand() {
    assertThat(LabCommand.execArguments(new String[] {"exec", "R1", "ip", "-br", "a"}))
        .containsExactly("exec", "R1", "--", "ip", "-br", "a");
    assertThat(LabCommand.execArguments(new String[] {"exec", "R1", "--", "ip", "-br", "a"}))
        .containsExactly("exec", "R1", "--", "ip", "-br", "a");
    assertThat(LabCommand.execArguments(new String[] {"exec", "--help"})).containsExactly("exec", "--help");
    assertThat(LabCommand.execArguments(new String[] {"up", "--size", "LB7=2"})).containsExactly("up", "--size", "LB7=2");
  }

  @Test
  void sizesAreGroupEqualsCount() {
    assertThat(LabCommand.parseSizes(java.util.List.of("LB7=2", "S=3"))).isEqualTo(Map.of("LB7", 2, "S", 3));
    assertThatThrownBy(() -> LabCommand.parseSizes(java.util.List.of("LB7")))
        .isInstanceOf(ServiceMain.UserError.class).hasMessage("--size LB7 (expected: GROUP=N, e.g. LB7=2)");
  }

  @Test
  void diagramOfAMissingTopologyIsOneUsageError() {
    assertThat(ServiceMain.execute(new LabCommand(), "diagram", "--topology", "/nonexistent/topology.yaml"))
        .isEqualTo(ServiceMain.USAGE);
  }

  @Test
  void benchRejectsBadOptionsWithOneLine() {
    assertThat(ServiceMain.execute(new LabCommand(), "bench", "--only", "l4,l7")).isEqualTo(ServiceMain.USAGE);
    assertThat(ServiceMain.execute(new LabCommand(), "bench", "--rounds", "0")).isEqualTo(ServiceMain.USAGE);
    assertThat(ServiceMain.execute(new LabCommand(), "bench", "--frobnicate")).isEqualTo(ServiceMain.USAGE);
    assertThat(LabCommand.parseRounds("3")).hasValue(3);
    assertThat(LabCommand.parseRounds("100")).hasValue(100);
    assertThat(LabCommand.parseRounds(null)).isEmpty();
    for (String bad : new String[] {"0", "101", "-1", "2x", ""}) {
      assertThatThrownBy(() -> LabCommand.parseRounds(bad)).isInstanceOf(ServiceMain.UserError.class)
          .hasMessage("--rounds " + bad + " (expected: a whole number from 1 to 100)");
    }
  }

  @Test
  void benchReportsTheCommandAsTyped() {
    picocli.CommandLine cl = new picocli.CommandLine(new LabCommand());
    picocli.CommandLine.ParseResult parsed = cl.parseArgs("bench", "--quick", "--only", "http");
    assertThat(parsed.subcommand().originalArgs()).containsExactly("bench", "--quick", "--only", "http");
  }

  @Test
  void statusCountIsAWholeNumberOfScreens() {
    assertThat(LabCommand.parseCount(null)).isZero();
    assertThat(LabCommand.parseCount("1")).isEqualTo(1);
    assertThat(LabCommand.parseCount("999999999")).isEqualTo(999_999_999);
    for (String bad : new String[] {"0", "-1", "1x", "", "1000000000"}) {
      assertThatThrownBy(() -> LabCommand.parseCount(bad)).isInstanceOf(ServiceMain.UserError.class)
          .hasMessage("--count " + bad + " (expected: a whole number of screens from 1 to 999999999)");
    }
  }
}
