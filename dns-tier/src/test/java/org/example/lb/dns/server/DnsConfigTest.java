package org.example.lb.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.dns.wire.WireName;
import org.junit.jupiter.api.Test;

class DnsConfigTest {
  private static final Path FILE = Path.of("dns.yaml");

  static final String VALID = """
      node: DNS1
      zones:
        example.com: zones/example.com
        Example.NET: /etc/lb/zones/example.net
      """;

  private static DnsConfig parse(String text) throws ConfigException {
    return ConfigLoader.parse(FILE, text, DnsConfig.class);
  }

  @Test
  void absentFieldsTakeTheDocumentedDefaults() throws Exception {
    DnsConfig c = parse(VALID);
    assertThat(c.listen().addresses()).containsExactly("0.0.0.0", "::");
    assertThat(c.listen().port()).isEqualTo(53);
    assertThat(c.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(c.tcp().idleTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.tcp().maxConnections()).isEqualTo(1024);
    assertThat(c.admin().port()).isEqualTo(9500);
    assertThat(c.nsid()).isEmpty();
    assertThat(c.identity().id()).contains("DNS1");
    assertThat(c.identity().version()).contains("dns-tier");
    assertThat(c.zoneFiles(Path.of("/etc/lb"))).containsEntry(WireName.of("example.com"),
        Path.of("/etc/lb/zones/example.com")).containsEntry(WireName.of("example.net"),
        Path.of("/etc/lb/zones/example.net"));
  }

  @Test
  void mistakesNameTheFieldAndWhatWasExpected() {
    assertThatThrownBy(() -> parse(VALID + "listen: { addresses: [www.example.com] }\n"))
        .hasMessageContaining("listen.addresses[0]: www.example.com (expected: an IPv4 or IPv6 address literal)");
    assertThatThrownBy(() -> parse(VALID + "workers: 1000\n")).hasMessage("dns.yaml:5: workers: 1000 (expected: an "
        + "integer 1-256)");
    assertThatThrownBy(() -> parse(VALID + "nsid: \"\\u00e9t\u00e9\"\n")).hasMessageContaining("nsid:");
    assertThatThrownBy(() -> parse(VALID + "tcp: { idleTimeout: 0s }\n")).hasMessageContaining("tcp.idleTimeout");
    assertThatThrownBy(() -> parse("node: DNS1\nzones: {}\n")).hasMessageContaining("zones: {} (expected: a mapping");
    assertThatThrownBy(() -> parse(VALID + "  example.COM: other\n")).hasMessageContaining("each zone once");
    assertThatThrownBy(() -> parse(VALID + "listn: {}\n")).hasMessageContaining("unknown key");
  }
}
