package org.example.lb.lab.disrupt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScenariosTest {
  @Test
  void everyScenarioOfTheIssueIsThereInOrderWithItsExpectation() {
    assertThat(Scenarios.names()).containsExactly("lb4-disable", "lb4-crash", "lb4-power-off", "lb4-add",
        "router-nexthop", "lb7-drain", "lb7-crash", "lb7-add", "server-drain", "server-crash", "server-add", "lb7-add-lb4-remove");
    assertThat(Scenarios.named("lb7-crash").orElseThrow().expectation().victim()).contains("LB7-2");
    assertThat(Scenarios.named("server-crash").orElseThrow().expectation().victim()).contains("S3");
    assertThat(Scenarios.named("lb4-power-off").orElseThrow().expectation().text())
        .isEqualTo("only unanswered ones sent to LB4-2");
    for (String n : Scenarios.names()) {
      if ((!n.endsWith("-crash") || n.equals("lb4-crash")) && !n.equals("lb4-power-off")) {
        assertThat(Scenarios.named(n).orElseThrow().expectation().text()).as(n).isEqualTo("0 broken");
      }
    }
    assertThat(Scenarios.named("nope")).isEmpty();
  }

  @Test
  void removingAConfigLineKeepsEveryOtherLineByteForByte() {
    String yaml = "backends:\n  - { name: \"LB7-1\", weight: 100 }\n  - { name: \"LB7-4\", weight: 100 }\nx: 1";
    assertThat(LabActions.removeLines(yaml, "name: \"LB7-4\""))
        .isEqualTo("backends:\n  - { name: \"LB7-1\", weight: 100 }\nx: 1");
  }
}
