package org.example.lb.l4.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.health.CheckSettings;
import org.example.lb.l4.forward.BackendState;
import org.junit.jupiter.api.Test;

class Lb7HealthConfigTest {
  @Test
  void defaultsAreDocumented() {
    Lb7HealthConfig d = Lb7HealthConfig.defaults();
    assertThat(d).isEqualTo(new Lb7HealthConfig(80, "/healthcheck", Duration.ofSeconds(1), Duration.ofMillis(500),
        2, 2, false));
    assertThat(d.checkSettings()).isEqualTo(CheckSettings.defaults());
  }

  @Test
  void readsFromYamlWithDurationsAndNamesBadFields() throws Exception {
    Path file = Path.of("director.yaml");
    Lb7HealthConfig c = ConfigLoader.parse(file, "interval: 2s\ntimeout: 250ms\nfall: 3\nstartAllDown: true\n",
        Lb7HealthConfig.class);
    assertThat(c).isEqualTo(new Lb7HealthConfig(80, "/healthcheck", Duration.ofSeconds(2), Duration.ofMillis(250),
        2, 3, true));
    assertThatThrownBy(() -> ConfigLoader.parse(file, "port: 80\ninterval: 1s\ntimeout: 1s\n", Lb7HealthConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessage("director.yaml:3: timeout: 1s (expected: less than interval (1s))");
    assertThatThrownBy(() -> ConfigLoader.parse(file, "path: healthcheck\n", Lb7HealthConfig.class))
        .hasMessage("director.yaml:1: path: healthcheck (expected: an absolute URL path without spaces, such as "
            + "/healthcheck)");
    assertThatThrownBy(() -> ConfigLoader.parse(file, "port: 70000\n", Lb7HealthConfig.class))
        .hasMessage("director.yaml:1: port: 70000 (expected: a port 1-65535)");
    assertThatThrownBy(() -> ConfigLoader.parse(file, "rise: 1001\n", Lb7HealthConfig.class))
        .hasMessage("director.yaml:1: rise: 1001 (expected: an integer 1-1000)");
  }

  @Test
  void checksCombineIntoBackendStates() {
    assertThat(Lb7Health.combine(true, true)).isEqualTo(BackendState.UP);
    assertThat(Lb7Health.combine(false, true)).isEqualTo(BackendState.DRAINING);
    assertThat(Lb7Health.combine(false, false)).isEqualTo(BackendState.DOWN);
    assertThat(Lb7Health.combine(true, false)).as("TCP down wins over an HTTP check still up").isEqualTo(BackendState.DOWN);
  }
}
