package org.example.lb.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.example.lb.dns.TestClient.concat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.common.metrics.AdminClient;
import org.example.lb.common.test.CommandRun;
import org.example.lb.common.test.Poll;
import org.example.lb.common.test.Tools;
import org.example.lb.dns.DnsTierCommand;
import org.example.lb.dns.QueryLoop;
import org.example.lb.dns.TestClient;
import org.example.lb.dns.TestServer;
import org.example.lb.dns.TestZones;
import org.example.lb.dns.answer.QueryStats.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A whole server (config file, zone files, sockets, admin endpoint) on 127.0.0.1 at a free port, asked by real
 * clients: dnsjava's {@link SimpleResolver}, {@code dig}, and raw sockets for what no client sends.
 */
class DnsNodeTest {
  static final Duration DEADLINE = Duration.ofSeconds(15);
  @TempDir Path dir;
  private TestServer server;
  private Path configFile;
  private Path zoneFile;
  private int port;
  private int adminPort;
  private DnsNode node;

  @BeforeEach
  void start() throws Exception {
    zoneFile = dir.resolve("example.com.zone");
    Files.copy(TestZones.file("example.com"), zoneFile);
    Files.copy(TestZones.file("example.net"), dir.resolve("example.net.zone"));
    server = TestServer.in(dir, List.of("127.0.0.1", "::1"), 2);
    port = server.port();
    adminPort = server.adminPort();
    configFile = server.configFile();
    node = server.start(config(""));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Everything but the listen addresses, workers and admin port. */
  private static String config(String extra) {
    return """
        zones:
          example.com: example.com.zone
          example.net: example.net.zone
        nsid: dns-test-1
        chaos: { version: "dns-tier test" }
        tcp: { idleTimeout: 500ms, maxConnections: 4 }
        """ + extra;
  }

  private SimpleResolver resolver(boolean tcp) {
    return TestClient.resolver(InetAddress.getLoopbackAddress(), port, tcp);
  }

  private Message ask(String name, int type, boolean tcp) throws IOException {
    return TestClient.ask(InetAddress.getLoopbackAddress(), port, name, type, tcp);
  }

  private long serial() {
    return TestClient.serial(port, "example.com.");
  }

  @Test
  void answersOverUdpAndTcp() throws Exception {
    for (boolean tcp : new boolean[] {false, true}) {
      Message r = ask("www.example.com.", Type.A, tcp);
      assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(r.getSection(Section.ANSWER)).hasSize(2);
    }
    assertThat(node.stats().get(Stat.UDP_REQS)).isEqualTo(1);
    assertThat(node.stats().get(Stat.TCP_REQS)).isEqualTo(1);
    InetAddress v6 = InetAddress.getByName("::1");
    Message q = Message.newQuery(Record.newRecord(Name.fromString("www.example.com."), Type.AAAA, DClass.IN));
    assertThat(TestClient.resolver(v6, port, false).send(q).getSection(Section.ANSWER)).hasSize(1);
    assertThat(TestClient.resolver(v6, port, true).send(q).getSection(Section.ANSWER)).hasSize(1);
    assertThat(node.stats().get(Stat.V6)).as("counted for UDP").isEqualTo(1);
  }

  @Test
  void aTruncatedUdpAnswerIsRetriedOverTcpByTheClient() throws Exception {
    SimpleResolver r = resolver(false);
    r.setEDNS(-1); // no EDNS: 512 bytes, so TC, and dnsjava asks again over TCP
    Message q = Message.newQuery(Record.newRecord(Name.fromString("big.example.com."), Type.TXT, DClass.IN));
    Message answer = r.send(q);
    assertThat(answer.getSection(Section.ANSWER)).hasSize(6);
    assertThat(node.stats().get(Stat.UDP_TC)).isEqualTo(1);
    assertThat(node.stats().get(Stat.TCP_REQS)).isEqualTo(1);
  }

  @Test
  void digSeesNsidCaseAndFlags() throws Exception {
    Path dig = Tools.require("/usr/bin/dig");
    String out = run(dig.toString(), "+norec", "+nsid", "+nocookie", "@127.0.0.1", "-p", String.valueOf(port),
        "WwW.ExAmple.com", "A");
    assertThat(out).contains("status: NOERROR", "flags: qr aa;", "NSID: 64 6e 73 2d 74 65 73 74 2d 31",
        "udp: 1232", ";WwW.ExAmple.com.\t\tIN\tA", "WwW.ExAmple.com.\t3600\tIN\tA\t192.0.2.10");
    String chaos = run(dig.toString(), "+short", "@127.0.0.1", "-p", String.valueOf(port), "version.server", "CH",
        "TXT");
    assertThat(chaos.strip()).isEqualTo("\"dns-tier test\"");
    String tcp = run(dig.toString(), "+tcp", "+short", "@127.0.0.1", "-p", String.valueOf(port), "id.server", "CH",
        "TXT");
    assertThat(tcp.strip()).isEqualTo("\"T1\"");
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void tcpQueriesArePipelinedAndAnsweredInOrder() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000);
      ByteArrayOutputStream batch = new ByteArrayOutputStream();
      String[] names = {"www.example.com.", "nope.example.com.", "mail.example.com.", "www.example.net."};
      List<Integer> ids = new ArrayList<>();
      for (String n : names) {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(n), Type.A, DClass.IN));
        ids.add(q.getHeader().getID());
        byte[] wire = q.toWire();
        batch.write(wire.length >>> 8);
        batch.write(wire.length);
        batch.write(wire);
      }
      s.getOutputStream().write(batch.toByteArray()); // all four in one segment
      DataInputStream in = new DataInputStream(s.getInputStream());
      for (int i = 0; i < names.length; i++) {
        byte[] r = new byte[in.readUnsignedShort()];
        in.readFully(r);
        Message m = new Message(r);
        assertThat(m.getHeader().getID()).isEqualTo(ids.get(i));
        assertThat(m.getQuestion().getName().toString()).isEqualTo(names[i]);
      }
    }
  }

  @Test
  void anIdleTcpConnectionIsClosedByTheServer() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000); // the server's idle timeout is 500 ms: read blocks until it closes
      long start = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(300));
    }
    Poll.until(DEADLINE, "the idle close to be counted", () -> node.stats().get(Stat.TCP_CLOSE_S_IDLE) == 1);
  }

  @Test
  void connectionsBeyondTheLimitAreClosedAtOnce() throws Exception {
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        open.add(s);
      }
      Poll.until(DEADLINE, "four connections", () -> node.status().tcpOpen() == 4);
      try (Socket fifth = new Socket(InetAddress.getLoopbackAddress(), port)) {
        fifth.setSoTimeout(5000);
        assertThat(fifth.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(node.stats().get(Stat.TCP_CONNS_REFUSED)).isEqualTo(1);
      assertThat(ask("www.example.com.", Type.A, false).getRcode()).isEqualTo(Rcode.NOERROR);
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
  }

  /** Sends raw bytes over UDP; the response, or null if none came within 500 ms. */
  private byte[] udp(byte[] packet) throws IOException {
    return TestClient.exchange(port, packet, false);
  }

  private static byte[] header(int id, int flags, int qd, int an, int ns, int ar) {
    return new byte[] {(byte) (id >>> 8), (byte) id, (byte) (flags >>> 8), (byte) flags, (byte) (qd >>> 8), (byte) qd,
        (byte) (an >>> 8), (byte) an, (byte) (ns >>> 8), (byte) ns, (byte) (ar >>> 8), (byte) ar};
  }

  private static int rcode(byte[] response) {
    return response[3] & 0xF;
  }

  @Test
  void hostilePacketsGetFormerrOrAreDroppedAndCountedAndTheServerStillAnswers() throws Exception {
    byte[] www = {3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};
    // a question whose name points at itself, and one whose pointer targets a pointer targeting the first
    byte[] selfLoop = concat(header(0x1001, 0, 1, 0, 0, 0), new byte[] {(byte) 0xC0, 12, 0, 1, 0, 1});
    byte[] twoStepLoop = concat(header(0x1002, 0, 1, 0, 0, 0), new byte[] {(byte) 0xC0, 14, (byte) 0xC0, 12, 0, 1});
    byte[] truncated = concat(header(0x1003, 0, 1, 0, 0, 0), java.util.Arrays.copyOf(www, 9));
    byte[] qd65535 = concat(header(0x1004, 0, 65535, 0, 0, 0), www);
    byte[] counts = concat(header(0x1005, 0, 1, 65535, 65535, 65535), www);
    byte[] optTruncated = concat(header(0x1006, 0, 1, 0, 0, 1), www,
        new byte[] {0, 0, 41, 4, (byte) 0xD0, 0, 0, 0, 0, 0, 20, 0, 3});
    byte[] labelTooLong = concat(header(0x1007, 0, 1, 0, 0, 0), new byte[] {64}, new byte[64],
        new byte[] {0, 0, 1, 0, 1});
    byte[] nameTooLong = concat(header(0x1008, 0, 1, 0, 0, 0), repeat(new byte[] {63}, 63, 5), new byte[] {0, 0, 1,
        0, 1});
    java.util.Random random = new java.util.Random(42);
    for (byte[] formerr : List.of(selfLoop, twoStepLoop, truncated, qd65535, counts, optTruncated, labelTooLong,
        nameTooLong)) {
      byte[] r = udp(formerr);
      assertThat(r).as("an answer to %s", java.util.HexFormat.of().formatHex(formerr)).isNotNull();
      assertThat(rcode(r)).isEqualTo(Rcode.FORMERR);
      assertThat(r[0] == formerr[0] && r[1] == formerr[1]).as("the query id").isTrue();
    }
    long formerrs = node.stats().get(Stat.FORMERR);
    assertThat(formerrs).isEqualTo(8);

    assertThat(udp(new byte[] {1, 2, 3})).as("shorter than a header").isNull();
    assertThat(udp(concat(header(0x2001, 0x8000, 1, 0, 0, 0), www))).as("a response").isNull();
    long before = node.stats().get(Stat.UDP_REQS);
    try (DatagramSocket s = new DatagramSocket()) { // garbage, not waiting for answers (FORMERR, or dropped)
      for (int i = 0; i < 500; i++) {
        byte[] junk = new byte[random.nextInt(1, 600)];
        random.nextBytes(junk);
        s.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), port));
      }
    }
    Poll.until(DEADLINE, "every datagram to be counted", () -> node.stats().get(Stat.UDP_REQS) == before + 500);
    assertThat(node.stats().get(Stat.DROPPED_SHORT)).isGreaterThanOrEqualTo(1);
    assertThat(node.stats().get(Stat.DROPPED_RESPONSE)).isGreaterThan(100);
    assertThat(node.stats().get(Stat.FORMERR)).isGreaterThan(100);
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(3);
      out.write(new byte[] {1, 2, 3});
      assertThat(s.getInputStream().read()).as("a TCP message without a header closes the connection").isEqualTo(-1);
    }
    Poll.until(DEADLINE, "the TCP error to be counted", () -> node.stats().get(Stat.TCP_RECVFAIL) == 1);
    assertThat(ask("www.example.com.", Type.A, false).getSection(Section.ANSWER)).hasSize(2);
    assertThat(ask("www.example.com.", Type.A, true).getSection(Section.ANSWER)).hasSize(2);
  }

  private static byte[] repeat(byte[] prefix, int labelLength, int times) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < times; i++) {
      out.write(labelLength);
      out.writeBytes(new byte[labelLength]);
    }
    return out.toByteArray();
  }

  @Test
  void reloadsLoseNoQuery() throws Exception {
    QueryLoop client = QueryLoop.start(port, "www.example.com.", Type.A, m -> m.getRcode() == Rcode.NOERROR
        && m.getSection(Section.ANSWER).size() == 2);
    String zone = Files.readString(zoneFile);
    for (int i = 1; i <= 20; i++) {
      long serial = 2026010101L + i;
      Files.writeString(zoneFile, zone.replace("2026010101", String.valueOf(serial)));
      node.reload();
      Poll.until(DEADLINE, "serial " + serial + " to be served", () -> serial() == serial);
    }
    assertThat(client.stop()).isPositive();
    assertThat(node.status().lastReload().orElseThrow()).endsWith("applied");
  }

  @Test
  void aBrokenZoneKeepsThePreviousVersionAndSaysFileAndLine() throws Exception {
    String zone = Files.readString(zoneFile);
    Files.writeString(zoneFile, zone.replace("2026010101", "2026010102").replace("192.0.2.25", "192.0.2.256"));
    node.reload();
    Poll.until(DEADLINE, "the failure in status", () -> node.status().zones().getFirst().error().isPresent());
    DnsStatus.ZoneStatus s = node.status().zones().getFirst();
    assertThat(s.error().orElseThrow()).startsWith(zoneFile + ":" + lineOf(zone, "192.0.2.25") + ": ");
    assertThat(s.serving()).isTrue();
    assertThat(s.serial()).contains(2026010101L);
    assertThat(serial()).isEqualTo(2026010101L);
    assertThat(ask("mail.example.com.", Type.A, false).getSection(Section.ANSWER)).hasSize(1);
    assertThat(AdminClient.get(adminPort, "/metrics")).contains("lb_dns_zone_load_failed{zone=\"example.com.\"} 1");

    Files.writeString(zoneFile, zone.replace("2026010101", "2026010103"));
    node.reload();
    Poll.until(DEADLINE, "the repaired zone to be served", () -> node.status().zones().getFirst().error().isEmpty());
    assertThat(serial()).isEqualTo(2026010103L);
  }

  private static int lineOf(String text, String needle) {
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(needle)) {
        return i + 1;
      }
    }
    throw new AssertionError(needle);
  }

  @Test
  void aChangedZoneFileIsReloadedWithoutASignal() throws Exception {
    String zone = Files.readString(zoneFile);
    Files.writeString(zoneFile, zone.replace("2026010101", "2026010199"));
    Poll.until(DEADLINE, "the new serial", () -> serial() == 2026010199L);
  }

  @Test
  void aReloadChangingTheListenAddressIsRejected() throws Exception {
    Files.writeString(configFile, server.yaml(config("")).replace("port: " + port, "port: " + (port + 1)));
    node.reload();
    Poll.until(DEADLINE, "the rejection", () -> node.status().lastReload().isPresent());
    assertThat(node.status().lastReload().orElseThrow()).contains("rejected", "need a restart");
    assertThat(ask("www.example.com.", Type.A, false).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void statusAndMetricsCountLikeGdnsdctlStats() throws Exception {
    ask("www.example.com.", Type.A, false);
    ask("nope.example.com.", Type.A, false);
    ask("example.org.", Type.A, true);
    String metrics = AdminClient.get(adminPort, "/metrics");
    assertThat(metrics).contains("lb_dns_responses_total{rcode=\"noerror\"} 1",
        "lb_dns_responses_total{rcode=\"nxdomain\"} 1", "lb_dns_responses_total{rcode=\"refused\"} 1",
        "lb_dns_requests_total{transport=\"udp\"} 2", "lb_dns_requests_total{transport=\"tcp\"} 1",
        "lb_dns_zone_serial{zone=\"example.com.\"} 2026010101");
    String json = AdminClient.get(adminPort, "/status");
    assertThat(json).contains("\"udp.reqs\" : 2", "\"nxdomain\" : 1", "\"tcp.conns\" : 1");
    String view = DnsNode.render(json);
    assertThat(view).contains("T1", "127.0.0.1:" + port, "[::1]:" + port, "example.com.", "2026010101",
        "udp.reqs 2");
  }

  @Test
  void checkConfigNamesTheZoneFileAndLineOfAMistake() throws Exception {
    String zone = Files.readString(zoneFile);
    Files.writeString(zoneFile, zone.replace("alias     IN CNAME www", "alias     IN CNAME www\nalias IN A 192.0.2.9"));
    CommandRun c = CommandRun.capturingStderr(() -> ServiceMain.execute(new DnsTierCommand(), "check-config", "--config",
        configFile.toString()));
    assertThat(c.code()).isEqualTo(ServiceMain.USAGE);
    assertThat(c.stderr().lines()).singleElement().asString().startsWith("error: " + zoneFile + ":"
        + (lineOf(zone, "alias     IN CNAME www") + 1) + ": alias.example.com.: A beside a CNAME");
  }
}
