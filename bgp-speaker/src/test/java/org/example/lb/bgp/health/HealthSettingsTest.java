package org.example.lb.bgp.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthSettingsTest {
  @Test
  void defaultsAreExaBgpHealthchecksWithTheDisableFileUnderEtcLb() {
    HealthSettings d = HealthSettings.defaults();
    assertThat(d.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.fastInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.rise()).isEqualTo(3);
    assertThat(d.fall()).isEqualTo(3);
    assertThat(d.disableFile()).isEqualTo(Path.of("/etc/lb/disable"));
    assertThat(d.withdrawOnDown()).isFalse();
    assertThat(d.med()).isEqualTo(100);
    assertThat(d.downMed()).isEqualTo(1000);
    assertThat(d.hooks()).isEqualTo(Hooks.none());
  }

  @Test
  void medZeroIsAValidMed() {
    HealthSettings s = new HealthSettings(null, null, null, 0, 0, null, false, 0L, 0L, null);
    assertThat(s.med()).isZero();
    assertThat(s.downMed()).isZero();
  }

  @Test
  void rejectsBadValuesNamingFieldValueAndExpectation() {
    assertThatThrownBy(() -> new HealthSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), null, 0, 0, null,
        false, null, null, null))
        .hasMessage("fastInterval: 2s (expected: at most interval (1s))");
    assertThatThrownBy(() -> new HealthSettings(null, null, null, 1001, 0, null, false, null, null, null))
        .hasMessage("rise: 1001 (expected: an integer 1-1000)");
    assertThatThrownBy(() -> new HealthSettings(null, null, null, 0, -1, null, false, null, null, null))
        .hasMessage("fall: -1 (expected: an integer 1-1000)");
    assertThatThrownBy(() -> new HealthSettings(null, null, null, 0, 0, null, false, 4294967296L, null, null))
        .hasMessage("med: 4294967296 (expected: an integer 0-4294967295)");
    assertThatThrownBy(() -> new HealthSettings(null, null, null, 0, 0, null, false, 4294967000L, 900L, null))
        .hasMessage("increase: 900 (expected: an integer 0-295 (med + increase at most 4294967295))");
    assertThatThrownBy(() -> new HealthSettings(null, null, Duration.ZERO, 0, 0, null, false, null, null, null))
        .hasMessageStartingWith("timeout: PT0S (expected: a positive duration");
    assertThatThrownBy(() -> new Hooks(List.of("echo $STATE", " "), null, null, null, null))
        .hasMessage("execute[1]: \" \" (expected: a non-empty string)");
  }

  @Test
  void hooksRunTheStatesOwnCommandsBeforeTheGeneralOnesAndNoneOnExit() {
    Hooks hooks = new Hooks(List.of("all"), List.of("up"), List.of("down"), List.of("disabled"), null);
    assertThat(hooks.commandsFor(HealthState.UP)).containsExactly("up", "all");
    assertThat(hooks.commandsFor(HealthState.DOWN)).containsExactly("down", "all");
    assertThat(hooks.commandsFor(HealthState.DISABLED)).containsExactly("disabled", "all");
    assertThat(hooks.commandsFor(HealthState.RISING)).containsExactly("all");
    assertThat(hooks.commandsFor(HealthState.INIT)).containsExactly("all");
    assertThat(hooks.commandsFor(HealthState.EXIT)).isEmpty();
    assertThat(hooks.timeout()).isEqualTo(Duration.ofSeconds(10));
  }
}
