package org.example.lb.l7.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValueTypesTest {

  @Test
  void knownCodesAreSharedConstantsAndUnknownOnesRoundTrip() {
    assertThat(Severity.valueOf(3)).isSameAs(Severity.ERR);
    assertThat(Severity.valueOf(3).isError()).isTrue();
    assertThat(Severity.valueOf(4).isError()).isFalse();
    assertThat(Severity.valueOf(12).code()).isEqualTo(12);
    assertThat(OperationalState.valueOf(2)).isSameAs(OperationalState.RUNNING);
    assertThat(OperationalState.valueOf(-1).code()).isEqualTo(-1);
    assertThat(CheckResult.valueOf(4)).isSameAs(CheckResult.CONDPASS);
    assertThat(CheckStatus.valueOf(17)).isSameAs(CheckStatus.L7STS);
    assertThat(CheckStatus.valueOf(17).toString()).isEqualTo("L7STS");
    assertThat(CheckStatus.valueOf(99)).isEqualTo(new CheckStatus(99));
    assertThat(StatType.valueOf(3)).isSameAs(StatType.LISTENER);
  }

  @Test
  void checkFlagBitsMatchHaproxy26() {
    assertThat(CheckFlags.of(CheckFlag.CONFIGURED, CheckFlag.ENABLED).bits()).isEqualTo(6);
    assertThat(CheckFlags.of(CheckFlag.CONFIGURED, CheckFlag.ENABLED, CheckFlag.AGENT).bits()).isEqualTo(22);
    assertThat(CheckFlags.valueOf(2).enabled()).isFalse();
    assertThat(CheckFlags.valueOf(2).configured()).isTrue();
    assertThat(CheckFlags.valueOf(14).has(CheckFlag.PAUSED)).isTrue();
    assertThat(CheckFlags.valueOf(0x1001).toString()).isEqualTo("0x1001[INPROGRESS]+0x1000");
  }

  @Test
  void weightIsAbsoluteWithinRangeOrAPercentage() {
    assertThat(Weight.absolute(0)).hasToString("0");
    assertThat(Weight.absolute(256)).hasToString("256");
    assertThat(Weight.percent(50)).hasToString("50%");
    assertThatThrownBy(() -> Weight.absolute(257))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight: 257 (expected: an integer 0-256)");
    assertThatThrownBy(() -> Weight.percent(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void argumentsThatCouldInjectCommandsAreRefused() {
    assertThat(CliArguments.name("backend", "be_web-1.v2:x")).isEqualTo("be_web-1.v2:x");
    for (String bad : new String[] {"be;del server x/y", "be y", "be\nshow", "", "be/s1", "be\\;"}) {
      assertThatThrownBy(() -> CliArguments.name("backend", bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("backend: ");
    }
    assertThat(CliArguments.token("option", "200ms")).isEqualTo("200ms");
    assertThat(CliArguments.token("address", "[2001:db8::1]:80")).isEqualTo("[2001:db8::1]:80");
    for (String bad : new String[] {"a b", "a;b", "a\\b", "a\tb", ""}) {
      assertThatThrownBy(() -> CliArguments.token("option", bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> CliArguments.name("server", null))
        .hasMessage("server: missing (expected: a name of letters, digits, '.', '-', '_', ':')");
  }
}
