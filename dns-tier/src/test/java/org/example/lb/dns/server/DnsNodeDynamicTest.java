package org.example.lb.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.metrics.AdminClient;
import org.example.lb.common.test.CommandRun;
import org.example.lb.common.test.Poll;
import org.example.lb.common.test.Tools;
import org.example.lb.dns.CapturedLog;
import org.example.lb.dns.DnsTierCommand;
import org.example.lb.dns.QueryLoop;
import org.example.lb.dns.TestClient;
import org.example.lb.dns.TestFiles;
import org.example.lb.dns.TestServer;
import org.example.lb.dns.TestZones;
import org.example.lb.dns.health.HealthState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A whole server with dynamic names on 127.0.0.1 and ::1, asked by dnsjava and dig: answers that follow an extfile and
 * the admin_state file, a tcp_connect monitor of a listener that goes away, the /states view and {@code dns-tier
 * states}, metrics, and reloads that rebind names while a client keeps asking.
 */
class DnsNodeDynamicTest {
  static final Duration DEADLINE = Duration.ofSeconds(15);
  @TempDir Path dir;
  private TestServer server;
  private Path configFile;
  private Path extFile;
  private int port;
  private int adminPort;
  private ServerSocket listener;
  private DnsNode node;

  @BeforeEach
  void start() throws Exception {
    Files.copy(TestZones.file("example.org"), dir.resolve("example.org.zone"));
    Files.createDirectories(dir.resolve("ext"));
    extFile = dir.resolve("ext").resolve("www");
    TestFiles.replace(extFile, "192.0.2.2 => DOWN/50\n");
    listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    server = TestServer.in(dir, List.of("127.0.0.1", "::1"), 2);
    port = server.port();
    adminPort = server.adminPort();
    configFile = server.configFile();
    node = server.start(config("resource: www, ttl: 300, minTtl: 30"));
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    listener.close();
  }

  private String config(String wwwBinding) {
    return """
        zones: { example.org: example.org.zone }
        serviceTypes:
          ext: { plugin: extfile, file: www, direct: true, defTtl: 120 }
          tcp: { plugin: tcp_connect, port: %d, interval: 200ms, timeout: 100ms, upThresh: 1, okThresh: 1, downThresh: 1 }
        resources:
          www: { plugin: multifo, addresses: [192.0.2.1, 192.0.2.2, 192.0.2.3, "2001:db8::1"], serviceTypes: [ext] }
          mail: { plugin: simplefo, primary: 192.0.2.10, secondary: 192.0.2.20, serviceTypes: [ext] }
          cdn: { plugin: weighted, weights: { 192.0.2.31: 3, 192.0.2.32: 1 } }
          loop: { plugin: multifo, addresses: [127.0.0.1], serviceTypes: [tcp] }
        dynamic:
          www.example.org: { %s }
          dyn.example.org: mail
          cdn.example.org: { resource: cdn, ttl: 60 }
          loop.example.org: loop
        """.formatted(listener.getLocalPort(), wwwBinding);
  }

  private Message ask(InetAddress server, String name, int type) throws IOException {
    return TestClient.ask(server, port, name, type, false);
  }

  private Message ask(String name, int type) throws IOException {
    return TestClient.ask(port, name, type);
  }

  private List<String> addresses(String name, int type) {
    return TestClient.addresses(port, name, type);
  }

  private void until(String name, int type, List<String> expected) {
    Poll.until(DEADLINE, name + " " + Type.string(type) + " to be " + expected, () -> addresses(name, type),
        expected::equals);
  }

  @Test
  void dynamicNamesFollowTheExtfileOverUdpTcpAndIpv6() throws Exception {
    assertThat(addresses("www.example.org.", Type.A)).containsExactly("50 192.0.2.1", "50 192.0.2.3");
    assertThat(addresses("www.example.org.", Type.AAAA)).containsExactly("50 2001:db8:0:0:0:0:0:1");
    Message v6 = ask(InetAddress.getByName("::1"), "www.example.org.", Type.A);
    assertThat(v6.getSection(Section.ANSWER)).hasSize(2);
    Path dig = Tools.require("/usr/bin/dig");
    Process p = new ProcessBuilder(dig.toString(), "+tcp", "+norec", "+short", "@127.0.0.1", "-p",
        String.valueOf(port), "alias2.example.org", "A").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).isZero();
    assertThat(out.lines()).containsExactly("alias.example.org.", "www.example.org.", "192.0.2.1", "192.0.2.3");

    TestFiles.replace(extFile, "192.0.2.1 => DOWN/400\n192.0.2.2 => DOWN/500\n192.0.2.10 => DOWN\n"
        + "192.0.2.20 => UP/200\n");
    // 1 of 3 is under up_thresh: all; TTL min(400, 500, 120 of the defaulted ones) = 120
    until("www.example.org.", Type.A, List.of("120 192.0.2.1", "120 192.0.2.2", "120 192.0.2.3"));
    until("dyn.example.org.", Type.A, List.of("150 192.0.2.20")); // min(120, 200) raised to minTtl 150
    assertThat(ask("fixed.example.org.", Type.A).getSection(Section.ANSWER)).as("static names unchanged").hasSize(1);
    TestFiles.replace(extFile, "# all up\n");
    until("www.example.org.", Type.A, List.of("120 192.0.2.1", "120 192.0.2.2", "120 192.0.2.3"));
    until("dyn.example.org.", Type.A, List.of("150 192.0.2.10"));
  }

  @Test
  void anExtfileAtAnAbsolutePathIsFollowedThroughRewritesWithEchoAndItsRemoval() throws Exception {
    // the lab's: /etc/lb/dns-tier.yaml, `file: /etc/lb/ext` (a file where relative names' directory would be)
    Path lb = dir.resolve("lb");
    Files.createDirectories(lb);
    Files.copy(TestZones.file("example.org"), lb.resolve("example.org.zone"));
    Path ext = lb.resolve("ext");
    Files.writeString(ext, "198.51.100.2 => DOWN\n");
    try (TestServer lab = TestServer.in(lb, List.of("127.0.0.1"), 1)) {
      lab.start("""
          zones: { example.org: example.org.zone }
          serviceTypes:
            ext: { plugin: extfile, file: %s, direct: true, interval: 60s }   # rescans far apart: inotify only
          resources:
            www: { plugin: multifo, addresses: [198.51.100.1, 198.51.100.2, 198.51.100.3], serviceTypes: [ext] }
          dynamic:
            www.example.org: www
          """.formatted(ext));
      String www = "www.example.org.";
      assertThat(TestClient.addresses(lab.port(), www, Type.A)).containsExactly("300 198.51.100.1",
          "300 198.51.100.3");
      Files.writeString(ext, "198.51.100.3 => DOWN\n"); // echo ... > /etc/lb/ext: truncated, then written
      Poll.until(DEADLINE, "the rewrite", () -> TestClient.addresses(lab.port(), www, Type.A),
          List.of("300 198.51.100.1", "300 198.51.100.2")::equals);
      try (CapturedLog log = CapturedLog.of(HealthState.class.getPackage())) {
        Files.delete(ext);
        Poll.until(DEADLINE, "the removal", () -> log.lines().stream().anyMatch(l -> l.contains(ext + ": removed")));
      }
      assertThat(TestClient.addresses(lab.port(), www, Type.A)).as("removed: nothing is overridden any more")
          .containsExactly("300 198.51.100.1", "300 198.51.100.2", "300 198.51.100.3");
      Files.writeString(ext, "198.51.100.1 => DOWN\n");
      Poll.until(DEADLINE, "the new file", () -> TestClient.addresses(lab.port(), www, Type.A),
          List.of("300 198.51.100.2", "300 198.51.100.3")::equals);
    }
  }

  @Test
  void adminStateForcesAddressesAndResourcesAndStatesShowsIt() throws Exception {
    Path admin = dir.resolve("admin_state");
    TestFiles.replace(admin, "192.0.2.1/* => DOWN/40\n192.0.2.2/ext => UP/60\n");
    until("www.example.org.", Type.A, List.of("40 192.0.2.2", "40 192.0.2.3"));
    DnsStates states = ConfigLoader.json().readValue(AdminClient.get(adminPort, "/states"), DnsStates.class);
    assertThat(states.monitors().get("192.0.2.1/ext").state()).isEqualTo("DOWN!");
    assertThat(states.monitors().get("192.0.2.1/ext").realState()).isEqualTo("UP");
    assertThat(states.monitors().get("192.0.2.1/ext").ttl()).isEqualTo("40");
    assertThat(states.monitors().get("192.0.2.2/ext").state()).isEqualTo("UP!");
    assertThat(states.monitors().get("192.0.2.2/ext").realState()).isEqualTo("DOWN");
    assertThat(states.monitors().get("192.0.2.3/ext").state()).isEqualTo("UP");
    assertThat(states.resources().get("www").state()).isEqualTo("degraded");
    assertThat(states.resources().get("www").v4()).containsExactly("192.0.2.2", "192.0.2.3");
    assertThat(states.resources().get("www").names()).containsExactly("www.example.org. (TTL 30-300)");
    assertThat(AdminClient.get(adminPort, "/states")).contains("\"real_state\" : \"UP\"");

    CommandRun run = CommandRun.capturingStderr(() -> ServiceMain.execute(new DnsTierCommand(), "states",
        "--config", configFile.toString()));
    assertThat(run.code()).isZero();
    CommandRun json = CommandRun.capturingStderr(() -> ServiceMain.execute(new DnsTierCommand(), "states", "--json",
        "--config", configFile.toString()));
    assertThat(json.code()).isZero();
    String view = DnsNode.renderStates(AdminClient.get(adminPort, "/states"));
    assertThat(view).contains("192.0.2.1/ext", "DOWN!", "www", "multifo", "degraded",
        "A 192.0.2.2 192.0.2.3; AAAA 2001:db8::1");

    TestFiles.replace(admin, "192.0.2.1/* => DOWN/40\nmultifo/www => UP/45\n");
    until("www.example.org.", Type.A, List.of("45 192.0.2.1", "45 192.0.2.2", "45 192.0.2.3"));
    assertThat(DnsNode.renderStates(AdminClient.get(adminPort, "/states"))).contains("forced UP/45 by admin_state");
    Files.delete(admin);
    until("www.example.org.", Type.A, List.of("50 192.0.2.1", "50 192.0.2.3"));
  }

  @Test
  void aTcpConnectMonitorFollowsItsListenerAndMetricsSayIt() throws Exception {
    Poll.until(DEADLINE, "127.0.0.1/tcp UP", () -> metrics().contains("lb_dns_monitor_up{monitor=\"127.0.0.1/tcp\"} 1"));
    assertThat(addresses("loop.example.org.", Type.A)).containsExactly("150 127.0.0.1");
    listener.close();
    Poll.until(DEADLINE, "127.0.0.1/tcp DOWN", () -> metrics().contains(
        "lb_dns_monitor_up{monitor=\"127.0.0.1/tcp\"} 0"));
    assertThat(addresses("loop.example.org.", Type.A)).as("alone and DOWN: still answered (under up_thresh: all)")
        .containsExactly("150 127.0.0.1");
    String m = metrics();
    assertThat(m).contains("lb_dns_resource_state{resource=\"loop\",state=\"down\"} 1",
        "lb_dns_resource_state{resource=\"www\",state=\"degraded\"} 1",
        "lb_dns_dynamic_answers_total{resource=\"loop\",state=\"up\"} 1",
        "lb_dns_dynamic_answers_total{resource=\"loop\",state=\"down\"} 1",
        "lb_dns_monitor_forced{monitor=\"192.0.2.1/ext\"} 0");
    assertThat(ConfigLoader.json().readValue(AdminClient.get(adminPort, "/states"), DnsStates.class).monitors()
        .get("127.0.0.1/tcp").lastCheck()).startsWith("failed connect refused");
  }

  private String metrics() {
    try {
      return AdminClient.get(adminPort, "/metrics");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aBadExtfileLineIsCountedAndTheRestApplies() throws Exception {
    TestFiles.replace(extFile, "192.0.2.3 => DOWN/70\nnonsense\n");
    until("www.example.org.", Type.A, List.of("70 192.0.2.1", "70 192.0.2.2"));
    assertThat(metrics()).contains("lb_dns_extfile_bad_lines_total 1");
    assertThat(DnsNode.renderStates(AdminClient.get(adminPort, "/states"))).contains("! extfile lines skipped: 1");
  }

  @Test
  void reloadsRebindNamesWithoutLosingAQuery() throws Exception {
    Set<String> www = Set.of("192.0.2.1", "192.0.2.3");
    Set<String> cdn = Set.of("192.0.2.31", "192.0.2.32");
    QueryLoop client = QueryLoop.start(port, "www.example.org.", Type.A, m -> {
      List<String> got = m.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
      return m.getRcode() == Rcode.NOERROR && !got.isEmpty() && (www.containsAll(got) || cdn.containsAll(got));
    });
    for (int i = 0; i < 10; i++) {
      boolean toCdn = i % 2 == 0;
      server.write(config(toCdn ? "resource: cdn, ttl: 77, minTtl: 0" : "resource: www, ttl: 300, minTtl: 30"));
      node.reload();
      Poll.until(DEADLINE, "the rebinding " + i, () -> addresses("www.example.org.", Type.A).stream()
          .allMatch(a -> toCdn ? a.startsWith("77 192.0.2.3") : a.startsWith("50 ")));
    }
    assertThat(client.stop()).isPositive();
    assertThat(node.status().lastReload().orElseThrow()).endsWith("applied");
  }

  @Test
  void checkConfigSaysWhichFileEachExtfileServiceTypeReads() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    int code;
    System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      code = ServiceMain.execute(new DnsTierCommand(), "check-config", "--config", configFile.toString());
    } finally {
      System.setOut(stdout);
    }
    assertThat(code).isZero();
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8).lines())
        .contains("service type ext reads " + extFile);
  }

  @Test
  void aZoneWithAddressesAtADynamicNameFailsCheckConfigWithItsLine() throws Exception {
    Path zone = dir.resolve("example.org.zone");
    Files.writeString(zone, Files.readString(zone) + "dyn IN A 192.0.2.99\n");
    int line = (int) Files.readString(zone).lines().count();
    CommandRun c = CommandRun.capturingStderr(() -> ServiceMain.execute(new DnsTierCommand(), "check-config",
        "--config", configFile.toString()));
    assertThat(c.code()).isEqualTo(ServiceMain.USAGE);
    assertThat(c.stderr().lines()).singleElement().asString().startsWith("error: " + zone + ":"
        + line + ": dyn.example.org.: A record at a dynamic name");
  }
}
