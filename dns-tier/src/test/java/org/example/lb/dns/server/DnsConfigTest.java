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

  static final String DYNAMIC = VALID + """
      serviceTypes:
        http: { plugin: http_status, port: 8080, urlPath: /check, okCodes: [200, 301], interval: 5s }
        ext: { plugin: extfile, file: www, direct: true }
      resources:
        www: { plugin: multifo, addresses: [192.0.2.1, "2001:db8::1"], serviceTypes: [http, ext] }
        mail: { plugin: simplefo, primary: 192.0.2.10, secondary: 192.0.2.20 }
      dynamic:
        www.example.com: { resource: www, ttl: 120, minTtl: 10 }
        Mail.Example.NET: mail
      """;

  @Test
  void dynamicNamesResourcesAndServiceTypesParseWithGdnsdsDefaults() throws Exception {
    DnsConfig c = parse(DYNAMIC);
    var http = c.serviceTypes().get("http");
    assertThat(http.timeout()).as("half the interval").isEqualTo(Duration.ofMillis(2500));
    assertThat(http.upThresh()).isEqualTo(20);
    assertThat(http.okThresh()).isEqualTo(10);
    assertThat(http.downThresh()).isEqualTo(10);
    assertThat(c.serviceTypes().get("ext").extFile(DnsConfig.extDirectory(Path.of("/etc/lb"))))
        .isEqualTo(Path.of("/etc/lb/ext/www"));
    assertThat(c.resources().get("www").upThresh()).isEqualTo(0.5);
    assertThat(c.resources().get("mail").serviceTypes()).containsExactly("up");
    assertThat(c.dynamicNames()).containsEntry(WireName.of("www.example.com"),
        new org.example.lb.dns.resource.Binding("www", 120, 10L));
    assertThat(c.dynamicNames().get(WireName.of("mail.example.net"))).as("shorthand: TTL 300, min half")
        .isEqualTo(new org.example.lb.dns.resource.Binding("mail", 300, 150L));
    assertThat(c.adminStateFile(Path.of("/etc/lb"))).isEqualTo(Path.of("/etc/lb/admin_state"));
  }

  @Test
  void dynamicMistakesNameTheLineTheFieldAndWhatWasExpected() {
    assertThatThrownBy(() -> parse(DYNAMIC.replace("serviceTypes: [http, ext]", "serviceTypes: [http, smtp]")))
        .hasMessage("dns.yaml:9: resources.www.serviceTypes[1]: smtp (expected: a service type defined in "
            + "serviceTypes, or up, or down)");
    assertThatThrownBy(() -> parse(DYNAMIC.replace("Mail.Example.NET: mail", "mail.example.org: mail")))
        .hasMessageContaining("dynamic.mail.example.org: mail.example.org (expected: a name in one of the zones");
    assertThatThrownBy(() -> parse(DYNAMIC.replace("Mail.Example.NET: mail", "mail.example.net: nope")))
        .hasMessageContaining("dynamic.mail.example.net.resource: nope (expected: a resource defined in resources)");
    assertThatThrownBy(() -> parse(DYNAMIC.replace("ttl: 120, minTtl: 10", "ttl: 120, minTtl: 121")))
        .hasMessageContaining("minTtl: 121 (expected: an integer 0-120 (at most ttl))");
    assertThatThrownBy(() -> parse(DYNAMIC.replace("okCodes: [200, 301], ", "okCodes: [200, 301], file: x, ")))
        .hasMessage("dns.yaml:6: serviceTypes.http.file: set (expected: no file for plugin http_status)");
    assertThatThrownBy(() -> parse(DYNAMIC.replace("interval: 5s", "interval: 5s, timeout: 5s")))
        .hasMessageContaining("serviceTypes.http.timeout: 5s (expected: less than interval (5s))");
    assertThatThrownBy(() -> parse(DYNAMIC.replace("ext: { plugin: extfile", "up: { plugin: extfile")))
        .hasMessageContaining("serviceTypes.up: up (expected: another name: up and down are built in)");
    assertThatThrownBy(() -> parse(DYNAMIC.replace("plugin: http_status", "plugin: ping")))
        .hasMessageContaining("serviceTypes.http.plugin: \"ping\" (expected: one of http_status, tcp_connect, "
            + "extfile, static)");
    assertThatThrownBy(() -> parse(DYNAMIC.replace("file: www", "file: /etc/lb/.www")))
        .hasMessage("dns.yaml:7: serviceTypes.ext.file: /etc/lb/.www (expected: a file name not starting with a dot "
            + "(dotfiles are taken as being written, and never read))");
    assertThatThrownBy(() -> parse(VALID + "serviceTypes: { smtp: { plugin: tcp_connect } }\n"))
        .hasMessageContaining("serviceTypes.smtp.port: missing (expected: the port to connect to, 1-65535");
  }
}
