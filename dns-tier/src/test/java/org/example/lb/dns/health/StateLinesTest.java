package org.example.lb.dns.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The extfile / admin_state line format, gdnsd's STATE[/TTL] values, and fnmatch-like globs. */
class StateLinesTest {
  @Test
  void statesParseAsGdnsdWritesThem() {
    assertThat(HealthState.parse("UP", 77)).isEqualTo(HealthState.up(77));
    assertThat(HealthState.parse("down/242", 77)).isEqualTo(HealthState.down(242));
    assertThat(HealthState.parse("Down/0", 77).toString()).isEqualTo("DOWN/MIN");
    assertThat(HealthState.UP.toString()).isEqualTo("UP/MAX");
    assertThatThrownBy(() -> HealthState.parse("UPP", 1)).hasMessage("\"UPP\" (expected: UP or DOWN, optionally /TTL)");
    assertThatThrownBy(() -> HealthState.parse("UP/", 1)).hasMessageContaining("(expected: a TTL 0-268435455");
    assertThatThrownBy(() -> HealthState.parse("UP/268435456", 1)).hasMessageContaining("expected: a TTL");
    assertThat(HealthState.up(100).worst(HealthState.down(300))).isEqualTo(HealthState.down(100));
  }

  @Test
  void linesWithCommentsQuotesAndCommasAreReadAndBadOnesReportedByLine() {
    StateLines s = StateLines.parse("""
        # states from the monitoring system
        192.0.2.1 => UP/300
        "192.0.2.2" => "DOWN/242",   ; quoted, with a comma
        192.0.2.3 = DOWN

        just garbage
        192.0.2.4 => SIDEWAYS
        """, 600);
    assertThat(s.entries()).containsExactly(
        new StateLines.Entry(2, "192.0.2.1", HealthState.up(300)),
        new StateLines.Entry(3, "192.0.2.2", HealthState.down(242)),
        new StateLines.Entry(4, "192.0.2.3", HealthState.down(600)));
    assertThat(s.errors()).containsExactly(
        "6: \"just garbage\" (expected: KEY => UP or DOWN, optionally /TTL)",
        "7: 192.0.2.4: \"SIDEWAYS\" (expected: UP or DOWN, optionally /TTL)");
  }

  @Test
  void globsMatchAsFnmatchWithoutFlags() {
    assertThat(Glob.of("192.0.2.1/*").matches("192.0.2.1/http")).isTrue();
    assertThat(Glob.of("192.0.2.1/*").matches("192.0.2.10/http")).isFalse();
    assertThat(Glob.of("*/xmpp").matches("2001:db8::1/xmpp")).isTrue();
    assertThat(Glob.of("*").matches("multifo/www")).as("* crosses /").isTrue();
    assertThat(Glob.of("192.0.2.?/up").matches("192.0.2.7/up")).isTrue();
    assertThat(Glob.of("192.0.2.[12]/up").matches("192.0.2.2/up")).isTrue();
    assertThat(Glob.of("192.0.2.[!12]/up").matches("192.0.2.2/up")).isFalse();
    assertThat(Glob.of("a\\*").matches("a*")).isTrue();
    assertThat(Glob.of("a\\*").matches("ab")).isFalse();
    assertThat(Glob.of("192.0.2.1/up").matches("192x0.2.1/up")).as("dots are literal").isFalse();
  }
}
