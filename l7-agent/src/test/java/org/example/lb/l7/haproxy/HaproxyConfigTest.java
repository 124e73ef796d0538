package org.example.lb.l7.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.l7.L7Config;
import org.example.lb.l7.testing.HaproxyProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HaproxyConfigTest {
  @TempDir Path dir;

  private L7Config lb7() throws ConfigException {
    String yaml = """
        node: LB7-1
        flagDirectory: %1$s/lb
        admin: { port: 9100 }
        haproxy:
          configFile: %1$s/haproxy.cfg
          runDirectory: %1$s/run
          binds: ["198.51.100.1", "2001:db8::198.51.100.1", "192.0.2.71"]
          servers:
            - { name: S1, address: "2001:db8:0:4::11" }
            - { name: S2, address: "2001:db8:0:4::12", port: 8080, agentPort: 5556, weight: 50 }
          checkInterval: 500ms
          servedByHeader: X-Served-By
        """.formatted(dir);
    return ConfigLoader.parse(dir.resolve("l7-agent.yaml"), yaml, L7Config.class);
  }

  @Test
  void rendersFrontendOnEveryBindAndServersWithChecksProxyAndAgent() throws Exception {
    String cfg = HaproxyConfig.render(lb7(), dir.resolve("l7-agent.yaml"));
    assertThat(cfg)
        .contains("bind 198.51.100.1:80\n", "bind [2001:db8::c633:6401]:80\n", "bind 192.0.2.71:80\n")
        .contains("server S1 [2001:db8:0:4::11]:80 weight 100 agent-port 5555\n")
        .contains("server S2 [2001:db8:0:4::12]:8080 weight 50 agent-port 5556\n")
        .contains("default-server check inter 500ms fall 3 rise 2 send-proxy check-send-proxy agent-check agent-inter 2000ms")
        .contains("server-state-file " + dir.resolve("run/server-state"))
        .contains("load-server-state-from-file global")
        .contains("retries 3\n", "option redispatch 1\n")
        .contains("!{ stopping }")
        .contains("server self [::1]:5555 agent-check agent-addr ::1 agent-port 5555")
        .contains("http-after-response set-header X-Served-By \"LB7-1/%[srv_name]\"\n");
  }

  @Test
  void servedByHeaderMustBeAHeaderNameAndTheNodeSafeToQuote() {
    String yaml = """
        node: %s
        haproxy:
          configFile: /tmp/h.cfg
          runDirectory: /tmp/run
          binds: ["192.0.2.71"]
          servers: [ { name: S1, address: "2001:db8:0:4::11" } ]
          servedByHeader: %s
        """;
    assertThatThrownBy(() -> ConfigLoader.parse(Path.of("h.yaml"), yaml.formatted("LB7-1", "\"X Served\""),
        L7Config.class)).hasMessageContaining("servedByHeader").hasMessageContaining("expected: an HTTP header name");
    assertThatThrownBy(() -> ConfigLoader.parse(Path.of("h.yaml"), yaml.formatted("\"LB7 %x\"", "X-Served-By"),
        L7Config.class)).hasMessageContaining("node").hasMessageContaining("while haproxy.servedByHeader is set");
  }

  @Test
  void realHaproxyAcceptsTheGeneratedConfig() throws Exception {
    Path haproxy = HaproxyProcess.binary();
    Path written = HaproxyConfig.write(lb7(), dir.resolve("l7-agent.yaml"));
    Process p = new ProcessBuilder(haproxy.toString(), "-c", "-f", written.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).doesNotContain("[WARNING]").doesNotContain("[ALERT]");
    assertThat(Files.exists(dir.resolve("run/server-state"))).isTrue();
  }

  @Test
  void unknownKeyIsOneLineWithFileLineAndKnownKeys() {
    String yaml = "node: S1\nagent:\n  prot: 5555\n";
    assertThatThrownBy(() -> ConfigLoader.parse(Path.of("s1.yaml"), yaml, L7Config.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("s1.yaml:3: agent.prot: unknown key (expected one of: ")
        .hasMessageContaining("port")
        .hasMessageNotContaining("\n");
  }

  @Test
  void badAddressNamesTheFieldAndWhatWasExpected() {
    String yaml = """
        node: LB7-1
        haproxy:
          configFile: /x/haproxy.cfg
          runDirectory: /x/run
          binds: ["198.51.100.300"]
          servers: [ { name: S1, address: "2001:db8:0:4::11" } ]
        """;
    assertThatThrownBy(() -> ConfigLoader.parse(Path.of("lb7.yaml"), yaml, L7Config.class))
        .hasMessage("lb7.yaml:5: haproxy.binds[0]: 198.51.100.300 (expected: an IPv4 or IPv6 address literal)");
  }

  @Test
  void badPortAndDurationAreRejectedWithExpectations() {
    assertThatThrownBy(() -> ConfigLoader.parse(Path.of("a.yaml"), "node: S1\nagent: { port: 70000 }\n", L7Config.class))
        .hasMessage("a.yaml:2: agent.port: 70000 (expected: a port 1-65535)");
    String yaml = """
        node: LB7-1
        haproxy:
          configFile: /x/haproxy.cfg
          runDirectory: /x/run
          binds: ["198.51.100.1"]
          servers: [ { name: S1, address: "2001:db8:0:4::11" } ]
          agentInterval: soon
        """;
    assertThatThrownBy(() -> ConfigLoader.parse(Path.of("b.yaml"), yaml, L7Config.class))
        .hasMessageStartingWith("b.yaml:7: haproxy.agentInterval: \"soon\" (expected: a duration such as 500ms, 2s or 1m)");
  }

  @Test
  void missingFileAndMissingNodeAreClearErrors() {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), L7Config.class))
        .hasMessage(dir.resolve("nope.yaml") + ": no such file (expected: a readable YAML config file)");
    assertThatThrownBy(() -> ConfigLoader.parse(Path.of("c.yaml"), "agent: { port: 5555 }\n", L7Config.class))
        .hasMessageContaining("node: missing (expected: a non-empty string)");
  }

  @Test
  void serverNodeHasNoHaproxySectionAndDefaults() throws Exception {
    L7Config c = ConfigLoader.parse(Path.of("s.yaml"), "node: S3\n", L7Config.class);
    assertThat(c.haproxy()).isEmpty();
    assertThat(c.agentFile()).isEqualTo(Path.of("/etc/lb/agent-check"));
    assertThat(c.agent().port()).isEqualTo(5555);
    assertThat(c.admin().port()).isEqualTo(9100);
  }

  @Test
  void aNestedFieldIsNamedByItsPathOnce() {
    String yaml = """
        node: LB7-1
        haproxy:
          configFile: /x/haproxy.cfg
          runDirectory: /x/run
          binds: ["198.51.100.1"]
          statsPort: 70000
          servers:
            - { name: S1, address: "2001:db8:0:4::11" }
            - { name: S2, address: "198.51.100.2" }
        """;
    assertThatThrownBy(() -> ConfigLoader.parse(Path.of("f.yaml"), yaml, L7Config.class))
        .hasMessage("f.yaml:6: haproxy.statsPort: 70000 (expected: a port 1-65535)");
    assertThatThrownBy(() -> ConfigLoader.parse(Path.of("g.yaml"), yaml.replace("statsPort: 70000", "statsPort: 8404")
        .replace("198.51.100.2", "198.51.100.300"), L7Config.class))
        .hasMessage("g.yaml:9: haproxy.servers[1].address: 198.51.100.300 (expected: an IPv4 or IPv6 address literal)");
  }

  @Test
  void runDirectoryTooLongForUnixSocketsIsAConfigError() {
    String longDir = "/run/" + "d".repeat(100);
    String yaml = """
        node: LB7-1
        haproxy:
          configFile: /x/haproxy.cfg
          runDirectory: %s
          binds: ["198.51.100.1"]
          servers: [ { name: S1, address: "2001:db8:0:4::11" } ]
        """.formatted(longDir);
    assertThatThrownBy(() -> ConfigLoader.parse(Path.of("u.yaml"), yaml, L7Config.class))
        .hasMessage("u.yaml:4: haproxy.runDirectory: \"" + longDir + "\" (expected: a path short enough for Unix "
            + "sockets (117 bytes with /master.sock, at most 107))");
  }

  @Test
  void timersLongerThanHaproxyCanHoldAreConfigErrors() {
    String yaml = """
        node: LB7-1
        haproxy:
          configFile: /x/haproxy.cfg
          runDirectory: /x/run
          binds: ["198.51.100.1"]
          servers: [ { name: S1, address: "2001:db8:0:4::11" } ]
          hardStopAfter: 720h
        """;
    assertThatThrownBy(() -> ConfigLoader.parse(Path.of("d.yaml"), yaml, L7Config.class))
        .hasMessage("d.yaml:7: haproxy.hardStopAfter: 2592000000ms (expected: at most 2147483647ms (~24.8 days), "
            + "HAProxy's longest timer)");
  }

  @Test
  void realHaproxyAcceptsTheLongestTimers() throws Exception {
    Path haproxy = HaproxyProcess.binary();
    String yaml = """
        node: LB7-1
        flagDirectory: %1$s/lb
        haproxy:
          configFile: %1$s/haproxy.cfg
          runDirectory: %1$s/run
          binds: ["198.51.100.1"]
          servers: [ { name: S1, address: "2001:db8:0:4::11" } ]
          checkInterval: 2147483647ms
          agentInterval: 2147483647ms
          hardStopAfter: 2147483647ms
        """.formatted(dir);
    L7Config longest = ConfigLoader.parse(dir.resolve("l7-agent.yaml"), yaml, L7Config.class);
    Path written = HaproxyConfig.write(longest, dir.resolve("l7-agent.yaml"));
    Process p = new ProcessBuilder(haproxy.toString(), "-c", "-f", written.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void aRunDirectoryHaproxyCfgCannotHoldIsAConfigError() {
    String yaml = """
        node: LB7-1
        haproxy:
          configFile: /x/haproxy.cfg
          runDirectory: "/var/run/my haproxy"
          binds: ["198.51.100.1"]
          servers: [ { name: S1, address: "2001:db8:0:4::11" } ]
        """;
    assertThatThrownBy(() -> ConfigLoader.parse(Path.of("e.yaml"), yaml, L7Config.class))
        .hasMessageStartingWith("e.yaml:4: haproxy.runDirectory: \"/var/run/my haproxy\" (expected: a path without spaces");
  }
}
