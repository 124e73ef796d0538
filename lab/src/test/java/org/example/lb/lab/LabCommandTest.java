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
}
