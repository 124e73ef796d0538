package org.example.lb.lab.l7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.l7.L7Config;
import org.example.lb.l7.haproxy.HaproxyConfig;
import org.example.lb.lab.netns.Exec;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.topology.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The l7-agent configs the lab writes are what l7-agent reads (the contract), and make a valid haproxy.cfg. */
class L7AgentConfigTest {
  private static final Path DEFAULT = Path.of(System.getProperty("repo.root", ".."), "lab/topology.yaml");

  @TempDir
  Path dir;

  private L7Tier tier() throws Exception {
    LabPaths paths = new LabPaths(dir.resolve("run/lb-lab"), dir.resolve("etc/netns"), dir.resolve("etc/lb"));
    Topology t = Topology.load(DEFAULT, Map.of());
    for (String node : t.nodeNames()) {
      Files.createDirectories(paths.node(node).conf());
    }
    L7Tier tier = new L7Tier(dir, paths);
    tier.writeConfigs(t);
    return tier;
  }

  @Test
  void balancerConfigListsVipsOwnAddressesAndEveryServer() throws Exception {
    L7Tier tier = tier();
    L7Config config = ConfigLoader.load(tier.configFile("LB7-1"), L7Config.class);
    assertThat(config.node()).isEqualTo("LB7-1");
    assertThat(config.flagDirectory()).isEqualTo(Path.of("/etc/lb"));
    L7Config.Haproxy h = config.haproxy().orElseThrow();
    assertThat(h.binds()).containsExactly("198.51.100.1", "198.51.100.2", "2001:db8::c633:6401", "2001:db8::c633:6402",
        "192.0.2.71", "2001:db8:0:3::71");
    assertThat(h.servers()).extracting(s -> s.name() + " " + s.address() + " " + s.port() + " " + s.agentPort())
        .containsExactly("S1 2001:db8:0:4::11 80 5555", "S2 2001:db8:0:4::12 80 5555", "S3 2001:db8:0:4::13 80 5555",
            "S4 2001:db8:0:4::14 80 5555", "S5 2001:db8:0:4::15 80 5555");
    assertThat(h.runDirectory()).isEqualTo(dir.resolve("run/lb-lab/nodes/LB7-1/run"));
    assertThat(h.configFile()).isEqualTo(dir.resolve("run/lb-lab/nodes/LB7-1/conf/haproxy.cfg"));
    assertThat(h.checkInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(h.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void serverConfigHasTheAgentOnly() throws Exception {
    L7Config config = ConfigLoader.load(tier().configFile("S3"), L7Config.class);
    assertThat(config.node()).isEqualTo("S3");
    assertThat(config.haproxy()).isEmpty();
    assertThat(config.agent().port()).isEqualTo(5555);
    assertThat(config.agent().address()).isEqualTo("::");
  }

  @Test
  void generatedHaproxyConfigPassesHaproxyCheck() throws Exception {
    Path file = tier().configFile("LB7-2");
    String cfg = HaproxyConfig.render(ConfigLoader.load(file, L7Config.class), file);
    Path cfgFile = dir.resolve("haproxy.cfg");
    Files.writeString(cfgFile, cfg);
    Exec.Result check = Exec.run(List.of("/usr/sbin/haproxy", "-c", "-f", cfgFile.toString()), Duration.ofSeconds(30));
    assertThat(check.exitCode()).as(check.stdout() + check.stderr()).isZero();
    assertThat(cfg).contains("bind 198.51.100.1:80", "bind [2001:db8:0:3::72]:80", "2001:db8:0:4::15");
    assertThat(cfg).as("a maxconn HAProxy can hold under a 20000 open-files limit").contains("    maxconn 4000\n");
  }
}
