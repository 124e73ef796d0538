package org.example.lb.common.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckSettingsTest {
  @Test
  void absentFieldsTakeTheDefaults() {
    CheckSettings d = CheckSettings.defaults();
    assertThat(d).isEqualTo(new CheckSettings(Duration.ofSeconds(1), Duration.ofMillis(500), 2, 2, false));
  }

  @Test
  void timeoutMustBeShorterThanInterval() {
    assertThatThrownBy(() -> new CheckSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 0, false))
        .hasMessage("timeout: 1s (expected: less than interval (1s))");
    assertThatThrownBy(() -> new CheckSettings(Duration.ofMillis(200), null, 0, 0, false))
        .hasMessage("timeout: 500ms (expected: less than interval (200ms))");
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> new CheckSettings(Duration.ZERO, null, 0, 0, false))
        .hasMessageStartingWith("interval: PT0S (expected: a positive duration");
    assertThatThrownBy(() -> new CheckSettings(null, null, -1, 0, false))
        .hasMessage("rise: -1 (expected: an integer 1-1000)");
  }
}
