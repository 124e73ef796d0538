package org.example.lb.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.example.lb.lab.ProjectRoot;
import org.example.lb.lab.topology.Cidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dns-tier config and zone the lab writes are accepted by dns-tier's own checker and bind what the lab needs. */
class DnsConfigsTest {
  private static final List<Cidr> LISTEN = List.of(cidr("198.51.100.53/32"), cidr("2001:db8::c633:6435/128"));
  private static final List<Cidr> VIPS = List.of(cidr("198.51.100.1/32"), cidr("198.51.100.2/32"),
      cidr("2001:db8::c633:6401/128"), cidr("2001:db8::c633:6402/128"));

  @TempDir Path dir;

  @Test
  void wwwIsEveryVipAndEachWwwNPrefersItsOwnVipThenTheNext() {
    String config = DnsConfigs.server("DNS1", LISTEN, VIPS, 9500);
    assertThat(config)
        .contains("www: { plugin: multifo, addresses: [\"198.51.100.1\", \"198.51.100.2\", \"2001:db8::c633:6401\", "
            + "\"2001:db8::c633:6402\"], serviceTypes: [http, ext] }")
        .contains("www1: { plugin: simplefo, addrsV4: { primary: \"198.51.100.1\", secondary: \"198.51.100.2\" }, "
            + "addrsV6: { primary: \"2001:db8::c633:6401\", secondary: \"2001:db8::c633:6402\" }")
        .contains("www2: { plugin: simplefo, addrsV4: { primary: \"198.51.100.2\", secondary: \"198.51.100.1\" }")
        .contains("file: /etc/lb/ext, direct: true")
        .contains("urlPath: /healthcheck")
        .contains("www2.example.org: { resource: www2");
  }

  @Test
  void theConfigAndZonePassDnsTiersCheckConfig() throws Exception {
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf.resolve("zones"));
    Files.writeString(conf.resolve("zones/example.org"), DnsConfigs.zone(LISTEN));
    Path file = conf.resolve("dns-tier.yaml");
    Files.writeString(file, DnsConfigs.server("DNS1", LISTEN, VIPS, 9500));

    Process p = new ProcessBuilder(ProjectRoot.find().resolve("bin/dns-tier").toString(), "check-config", "--config",
        file.toString()).redirectErrorStream(true).start();
    boolean finished = p.waitFor(180, TimeUnit.SECONDS); // the launcher builds dns-tier first when it must
    if (!finished) {
      p.destroyForcibly();
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(finished).as("bin/dns-tier check-config finished: %s", output).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("example.org");
  }

  private static Cidr cidr(String text) {
    return Cidr.parse(text).orElseThrow();
  }
}
