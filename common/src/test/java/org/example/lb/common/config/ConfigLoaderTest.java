package org.example.lb.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  record Inner(String address, int port) {
    Inner {
      Validation.ipLiteral("address", address);
      port = port == 0 ? 80 : Validation.port("port", port);
    }
  }

  record Sample(String name, Duration interval, List<Inner> inners, Inner main) {
    Sample {
      Validation.nonBlank("name", name);
      interval = interval == null ? Duration.ofSeconds(1) : Validation.positive("interval", interval);
    }
  }

  private static final Path FILE = Path.of("sample.yaml");

  @Test
  void readsRecordsWithDefaultsAndDurations() throws Exception {
    Sample s = ConfigLoader.parse(FILE, """
        name: a
        interval: 250ms
        inners:
          - { address: "2001:db8::1" }
        main:
          address: 192.0.2.1
          port: 8080
        """, Sample.class);
    assertThat(s.interval()).isEqualTo(Duration.ofMillis(250));
    assertThat(s.inners()).containsExactly(new Inner("2001:db8::1", 80));
    assertThat(s.main().port()).isEqualTo(8080);
  }

  @Test
  void unknownNestedKeyNamesItsLineAndTheKnownKeys() {
    assertThatThrownBy(() -> ConfigLoader.parse(FILE, "name: a\nmain:\n  address: 192.0.2.1\n  prot: 1\n", Sample.class))
        .isInstanceOf(ConfigException.class)
        .hasMessage("sample.yaml:4: main.prot: unknown key (expected one of: address, port)");
  }

  @Test
  void validationFailureInAListElementNamesTheElement() {
    assertThatThrownBy(() -> ConfigLoader.parse(FILE, """
        name: a
        inners:
          - { address: "192.0.2.1" }
          - { address: "not-an-ip" }
        """, Sample.class))
        .hasMessage("sample.yaml:4: inners[1].address: not-an-ip (expected: an IPv4 or IPv6 address literal)");
  }

  @Test
  void wrongTypesSayWhatWasExpected() {
    assertThatThrownBy(() -> ConfigLoader.parse(FILE, "name: a\nmain: { address: 192.0.2.1, port: eighty }\n", Sample.class))
        .hasMessage("sample.yaml:2: main.port: \"eighty\" (expected: an integer)");
    assertThatThrownBy(() -> ConfigLoader.parse(FILE, "name: a\ninterval: 3 parsecs\n", Sample.class))
        .hasMessage("sample.yaml:2: interval: \"3 parsecs\" (expected: a duration such as 500ms, 2s or 1m)");
    assertThatThrownBy(() -> ConfigLoader.parse(FILE, "name: a\ninterval: 0s\n", Sample.class))
        .hasMessageContaining("interval: PT0S (expected: a positive duration such as 500ms or 2s)");
  }

  @Test
  void brokenYamlAndEmptyFilesAreOneLine() {
    assertThatThrownBy(() -> ConfigLoader.parse(FILE, "name: \"a\n", Sample.class))
        .hasMessageStartingWith("sample.yaml:")
        .hasMessageContaining("not valid YAML")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> ConfigLoader.parse(FILE, "", Sample.class))
        .hasMessage("sample.yaml: empty file (expected: a YAML mapping)");
  }

  @Test
  void missingAndUnreadableFiles(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("x.yaml"), Sample.class))
        .hasMessage(dir.resolve("x.yaml") + ": no such file (expected: a readable YAML config file)");
    assertThatThrownBy(() -> ConfigLoader.load(dir, Sample.class))
        .hasMessageStartingWith(dir + ": cannot read");
    Files.writeString(dir.resolve("ok.yaml"), "name: b\n");
    assertThat(ConfigLoader.load(dir.resolve("ok.yaml"), Sample.class).name()).isEqualTo("b");
  }

  @Test
  void locatesFieldsInBlockAndFlowStyle() {
    String text = "a: 1\nouter:\n  x: 2\n  inner: { y: 3, z: 4 }\n";
    assertThat(ConfigLoader.locate(text, "outer.inner.z: bad", 0)).isEqualTo(4);
    assertThat(ConfigLoader.locate(text, "outer.x: bad", 0)).isEqualTo(3);
    assertThat(ConfigLoader.locate(text, "nowhere: bad", 7)).isEqualTo(7);
    String list = "servers:\n  - name: a\n    port: 1\n  - name: b\n    port: 2\n";
    assertThat(ConfigLoader.locate(list, "servers[1].port: bad", 0)).isEqualTo(5);
    assertThat(ConfigLoader.locate(list, "servers[0].port: bad", 0)).isEqualTo(3);
  }

  @Test
  void durationsAcceptUnits() {
    assertThat(ConfigLoader.parseDuration("1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(ConfigLoader.parseDuration("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(ConfigLoader.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(ConfigLoader.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(ConfigLoader.parseDuration("30")).isEqualTo(Duration.ofMillis(30));
    assertThatThrownBy(() -> ConfigLoader.parseDuration("soon")).isInstanceOf(IllegalArgumentException.class);
  }
}
