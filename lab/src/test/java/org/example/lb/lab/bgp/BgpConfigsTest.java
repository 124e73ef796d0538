package org.example.lb.lab.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.example.lb.common.test.Tools;
import org.example.lb.lab.topology.Cidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration files the lab writes are accepted by the real daemons' own config checkers. */
class BgpConfigsTest {
  private static final Cidr R1 = Cidr.parse("192.0.2.65/26").orElseThrow();
  private static final Cidr R2 = Cidr.parse("192.0.2.66/26").orElseThrow();
  private static final Cidr RR1 = Cidr.parse("192.0.2.67/26").orElseThrow();
  private static final Cidr RR2 = Cidr.parse("192.0.2.68/26").orElseThrow();
  private static final List<Cidr> SPEAKERS = List.of(Cidr.parse("192.0.2.88/26").orElseThrow(), Cidr.parse("192.0.2.69/26").orElseThrow());

  @TempDir Path dir;

  @Test
  void reflectorConfigPassesGobgpdsDryRun() throws Exception {
    Tools.require("/usr/bin/gobgpd");
    Path file = dir.resolve("gobgpd.toml");
    Files.writeString(file, BgpConfigs.reflector(RR1, List.of(R1, R2), SPEAKERS));

    Run run = run(List.of("/usr/bin/gobgpd", "-d", "-f", file.toString()));

    assertThat(run.exit()).as(run.output()).isZero();
    String text = Files.readString(file);
    assertThat(text).contains("send-max = 8").contains("passive-mode = true").contains("route-reflector-client = true");
  }

  @Test
  void routerConfigPassesBirdsParser() throws Exception {
    Tools.require("/usr/sbin/bird");
    Path file = dir.resolve("bird.conf");
    Files.writeString(file, BgpConfigs.router(R1, List.of(RR1, RR2), dir.resolve("bird.log").toString()));

    Run run = run(List.of("/usr/sbin/bird", "-p", "-c", file.toString()));

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(Files.readString(file)).contains("add paths rx").contains("merge paths on")
        .contains("neighbor 192.0.2.67 as 64496").contains("neighbor 192.0.2.68 as 64496");
  }

  @Test
  void aBrokenRouterConfigIsRejectedByBirdsParser() throws Exception {
    Tools.require("/usr/sbin/bird");
    Path file = dir.resolve("bird.conf");
    Files.writeString(file, BgpConfigs.router(R1, List.of(RR1), dir.resolve("bird.log").toString())
        .replace("add paths rx", "add paths sideways"));

    assertThat(run(List.of("/usr/sbin/bird", "-p", "-c", file.toString())).exit()).isNotZero();
  }

  private record Run(int exit, String output) {}

  private static Run run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in 20 s");
    }
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
