package org.example.lb.dns.gdnsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.example.lb.dns.TestClient.concat;
import static org.example.lb.dns.TestClient.query;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.example.lb.common.test.FreePorts;
import org.example.lb.dns.TestClient;
import org.example.lb.dns.TestServer;
import org.example.lb.dns.TestZones;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSIDOption;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The same zones served by dns-tier and by the real gdnsd 3.8, the same query bytes sent to both, and the responses
 * compared: rcode, opcode, flags, the question as echoed, every section (records sorted: gdnsd rotates address
 * RRsets), and the OPT record (version, extended rcode, DO, options). Where dns-tier answers differently on purpose,
 * the probe says what differs and why.
 *
 * <p>gdnsd runs with {@code experimental_no_chain => false}: by default 3.8 answers a CNAME as if the query were for
 * the CNAME, without following it, while dns-tier follows chains inside the zone as authoritative servers
 * traditionally do (RFC 1034 §4.3.2 step 3a) — the issue asks for that. Cookies (RFC 7873), which dns-tier does not
 * implement, are disabled so they do not show in every response.
 */
class GdnsdDifferentialTest {
  @TempDir static Path dir;
  private static GdnsdProcess gdnsd;
  private static TestServer ours;
  private static int ourPort;

  @BeforeAll
  static void start() throws Exception {
    Map<String, Path> zones = Map.of("example.com", TestZones.file("example.com"),
        "example.net", TestZones.file("example.net"));
    gdnsd = GdnsdProcess.start(dir, FreePorts.one(), zones, List.of("experimental_no_chain => false",
        "disable_cookies => true", "nsid_ascii => dns-test-1", "udp_threads => 1", "tcp_threads => 1"));
    ours = TestServer.in(dir, List.of("127.0.0.1"), 1);
    ours.start("""
        zones: { example.com: %s, example.net: %s }
        nsid: dns-test-1
        """.formatted(zones.get("example.com"), zones.get("example.net")));
    ourPort = ours.port();
  }

  @AfterAll
  static void stop() {
    if (ours != null) {
      ours.close();
    }
    if (gdnsd != null) {
      gdnsd.stop();
    }
  }

  /** A query to send to both, and how dns-tier's description differs from gdnsd's on purpose (or not at all). */
  private record Probe(String what, byte[] query, boolean tcp, UnaryOperator<String> intended) {}

  private static final UnaryOperator<String> SAME = UnaryOperator.identity();

  private static Probe udp(String name, int type, boolean edns) throws IOException {
    return new Probe(name + " " + Type.string(type) + (edns ? " +edns" : ""),
        query(name, type, DClass.IN, edns).toWire(), false, SAME);
  }

  private static List<Probe> probes() throws IOException {
    List<Probe> p = new ArrayList<>();
    String[][] questions = {
        {"www.example.com.", "A"}, {"WwW.ExAmPle.CoM.", "A"}, {"www.example.com.", "AAAA"},
        {"www.example.com.", "MX"}, {"nope.example.com.", "A"}, {"deeper.nope.example.com.", "TXT"},
        {"b.c.example.com.", "A"}, {"c.example.com.", "A"}, {"a.b.c.example.com.", "TXT"},
        {"alias.example.com.", "A"}, {"alias2.example.com.", "AAAA"}, {"alias.example.com.", "MX"},
        {"alias.example.com.", "CNAME"}, {"ext.example.com.", "A"}, {"dangling.example.com.", "A"},
        {"_sip._udp.example.com.", "SRV"}, {"_udp.example.com.", "SRV"}, {"sub.example.com.", "NS"},
        {"sub.example.com.", "A"}, {"x.sub.example.com.", "A"}, {"ns.sub.example.com.", "AAAA"},
        {"sub.example.com.", "DS"}, {"foo.wild.example.com.", "A"}, {"a.b.wild.example.com.", "TXT"},
        {"x.wild.example.com.", "AAAA"}, {"wild.example.com.", "A"}, {"*.wild.example.com.", "A"},
        {"example.com.", "NS"}, {"example.com.", "MX"}, {"example.com.", "TXT"}, {"example.com.", "AAAA"},
        {"example.com.", "ANY"}, {"www.example.com.", "ANY"}, {"alias.example.com.", "ANY"},
        {"nope.example.com.", "ANY"}, {"b.c.example.com.", "ANY"}, {"sub.example.com.", "ANY"},
        {"example.org.", "A"}, {"com.", "NS"}, {".", "SOA"}, {"big.example.com.", "TXT"}, {"huge.example.com.", "TXT"},
        {"www.example.net.", "A"}, {"nope.example.net.", "A"}, {"example.net.", "NS"},
        {"www.example.com.", "TYPE0"}, {"www.example.com.", "RRSIG"}, {"www.example.com.", "TYPE65280"},
        {"example.com.", "IXFR"}, {"example.com.", "AXFR"},
    };
    for (String[] q : questions) {
      for (boolean edns : new boolean[] {false, true}) {
        p.add(udp(q[0], Type.value(q[1]), edns));
      }
    }
    // The SOA: gdnsd clamps the SOA record's own TTL to its MINIMUM at load ("SOA TTL 3600 > ncache field 300,
    // clamped"); dns-tier serves the TTL the zone file gives. Negative answers carry min(TTL, MINIMUM) in both.
    p.add(new Probe("example.com SOA", query("example.com.", Type.SOA, DClass.IN, false).toWire(), false,
        d -> d.replace("example.com. 300 IN SOA", "example.com. 3600 IN SOA")));
    p.add(new Probe("example.net SOA", query("example.net.", Type.SOA, DClass.IN, false).toWire(), false,
        d -> d.replace("example.net. 60 IN SOA", "example.net. 600 IN SOA")));
    p.add(new Probe("class ANY", query("www.example.com.", Type.A, DClass.ANY, false).toWire(), false, SAME));
    p.add(new Probe("class HS", query("www.example.com.", Type.A, DClass.HS, false).toWire(), false, SAME));

    // EDNS
    Message doBit = query("www.example.com.", Type.A, DClass.IN, false);
    doBit.addRecord(new OPTRecord(1232, 0, 0, Flags.DO), Section.ADDITIONAL);
    p.add(new Probe("DO bit", doBit.toWire(), false, SAME));
    Message nsid = query("www.example.com.", Type.A, DClass.IN, false);
    nsid.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new NSIDOption(new byte[0]))), Section.ADDITIONAL);
    p.add(new Probe("NSID", nsid.toWire(), false, SAME));
    Message unknown = query("www.example.com.", Type.A, DClass.IN, false);
    unknown.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new GenericEDNSOption(65001, new byte[] {1, 2}))),
        Section.ADDITIONAL);
    p.add(new Probe("unknown EDNS option", unknown.toWire(), false, SAME));
    Message v1 = query("www.example.com.", Type.A, DClass.IN, false);
    v1.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
    p.add(new Probe("EDNS version 1", v1.toWire(), false, SAME));
    Message small = query("big.example.com.", Type.TXT, DClass.IN, false);
    small.addRecord(new OPTRecord(100, 0, 0, 0), Section.ADDITIONAL);
    p.add(new Probe("payload 100", small.toWire(), false, SAME));
    Message twoOpts = query("www.example.com.", Type.A, DClass.IN, true);
    twoOpts.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
    p.add(new Probe("two OPTs", twoOpts.toWire(), false, SAME));

    // opcodes: the issue asks for RD cleared on NOTIMP; gdnsd copies it (RFC 1035 §4.1.1 says RD is copied)
    for (int opcode : new int[] {Opcode.STATUS, Opcode.NOTIFY, Opcode.UPDATE}) {
      Message q = query("www.example.com.", Type.A, DClass.IN, false);
      q.getHeader().setOpcode(opcode);
      q.getHeader().setFlag(Flags.RD);
      p.add(new Probe("opcode " + opcode, q.toWire(), false, d -> d.replace("flags qr rd", "flags qr")));
    }
    Message rd = query("www.example.com.", Type.A, DClass.IN, false);
    rd.getHeader().setFlag(Flags.RD);
    rd.getHeader().setFlag(Flags.AD);
    rd.getHeader().setFlag(Flags.CD);
    p.add(new Probe("RD AD CD", rd.toWire(), false, SAME));

    // CHAOS: gdnsd answers any CH query with its chaos_response ("gdnsd/3"); dns-tier answers id.server and
    // version.server (and their .bind names) with the configured strings and refuses other CH names
    p.add(new Probe("id.server CH", query("id.server.", Type.TXT, DClass.CH, false).toWire(), false,
        d -> d.replace("\"gdnsd/3\"", "\"T1\"")));
    p.add(new Probe("version.bind CH", query("version.bind.", Type.TXT, DClass.CH, false).toWire(), false,
        d -> d.replace("\"gdnsd/3\"", "\"dns-tier\"")));

    // malformed
    byte[] www = query("www.example.com.", Type.A, DClass.IN, false).toWire();
    p.add(new Probe("QDCOUNT 2", withCounts(concat(www, slice(www, 12, www.length)), 2, 0, 0, 0), false, SAME));
    p.add(new Probe("QDCOUNT 0", withCounts(slice(www, 0, 12), 0, 0, 0, 0), false, SAME));
    p.add(new Probe("QDCOUNT 65535", withCounts(www, 65535, 0, 0, 0), false, SAME));
    p.add(new Probe("truncated question", slice(www, 0, 20), false, SAME));
    p.add(new Probe("pointer loop in question", concat(slice(www, 0, 12), new byte[] {(byte) 0xC0, 12, 0, 1, 0, 1}),
        false, SAME));
    p.add(new Probe("ANCOUNT 1", withCounts(www, 1, 1, 0, 0), false, SAME));
    p.add(new Probe("response", flags(www, 0x80), false, SAME));
    p.add(new Probe("trailing garbage", concat(www, new byte[] {1, 2, 3, 4, 5}), false, SAME));

    // TCP: gdnsd adds an edns-tcp-keepalive option (RFC 7828) to TCP responses, which dns-tier does not implement
    UnaryOperator<String> noKeepalive = d -> d.replaceAll(" 11:[0-9a-f]*", "");
    for (String[] q : new String[][] {{"www.example.com.", "A"}, {"big.example.com.", "TXT"},
        {"huge.example.com.", "TXT"},
        {"nope.example.com.", "A"}, {"x.sub.example.com.", "A"}}) {
      p.add(new Probe(q[0] + " " + q[1] + " tcp", query(q[0], Type.value(q[1]), DClass.IN, true).toWire(), true,
          noKeepalive));
    }
    return p;
  }

  private static byte[] slice(byte[] a, int from, int to) {
    return java.util.Arrays.copyOfRange(a, from, to);
  }

  private static byte[] withCounts(byte[] q, int qd, int an, int ns, int ar) {
    byte[] out = q.clone();
    int[] counts = {qd, an, ns, ar};
    for (int i = 0; i < 4; i++) {
      out[4 + 2 * i] = (byte) (counts[i] >>> 8);
      out[5 + 2 * i] = (byte) counts[i];
    }
    return out;
  }

  private static byte[] flags(byte[] q, int firstFlagByte) {
    byte[] out = q.clone();
    out[2] |= (byte) firstFlagByte;
    return out;
  }

  /** Everything compared, one line per item; records sorted within each section. */
  static String describe(byte[] response) throws IOException {
    if (response == null) {
      return "no response\n";
    }
    Message m = new Message(response);
    StringBuilder d = new StringBuilder();
    d.append("id ").append(m.getHeader().getID()).append('\n');
    d.append("rcode ").append(Rcode.string(m.getRcode())).append('\n');
    d.append("opcode ").append(Opcode.string(m.getHeader().getOpcode())).append('\n');
    d.append("flags");
    for (int f : new int[] {Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA, Flags.AD, Flags.CD}) {
      if (m.getHeader().getFlag(f)) {
        d.append(' ').append(Flags.string(f));
      }
    }
    d.append('\n');
    int qdcount = m.getHeader().getCount(Section.QUESTION);
    d.append("question ").append(qdcount == 0 ? "none" : m.getQuestion().toString().replaceAll("\\s+", " "))
        .append('\n');
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      m.getSection(section).stream().filter(r -> r.getType() != Type.OPT)
          .map(r -> Section.string(section) + " " + r.toString().replaceAll("\\s+", " ")).sorted()
          .forEach(l -> d.append(l).append('\n'));
    }
    OPTRecord opt = m.getOPT();
    if (opt != null) {
      d.append("opt version ").append(opt.getVersion()).append(" extrcode ").append(opt.getExtendedRcode())
          .append(" do ").append((opt.getFlags() & Flags.DO) != 0).append(" options");
      for (EDNSOption o : opt.getOptions()) {
        byte[] w = o.toWire();
        d.append(' ').append(o.getCode()).append(':').append(HexFormat.of().formatHex(w, 4, w.length));
      }
      d.append('\n');
    }
    return d.toString();
  }

  @Test
  void dnsTierAnswersLikeGdnsdOrTheProbeSaysWhyNot() throws Exception {
    List<String> mismatches = new ArrayList<>();
    StringBuilder transcript = new StringBuilder();
    int compared = 0;
    for (Probe probe : probes()) {
      byte[] theirs = TestClient.exchange(gdnsd.port(), probe.query(), probe.tcp());
      byte[] mine = TestClient.exchange(ourPort, probe.query(), probe.tcp());
      // the advertised payload is not compared: gdnsd says 1024, dns-tier 1232 (the size it accepts, per the issue)
      String expected = probe.intended().apply(describe(theirs));
      String actual = describe(mine);
      compared++;
      transcript.append("== ").append(probe.what()).append(probe.tcp() ? " (tcp)" : "").append('\n').append(actual);
      if (!expected.equals(actual)) {
        mismatches.add("== " + probe.what() + (probe.tcp() ? " (tcp)" : "") + "\n-- gdnsd, as dns-tier should answer:\n"
            + expected + "-- dns-tier:\n" + actual);
      }
    }
    // what was compared, for reading: target/gdnsd-differential.txt
    Files.writeString(Path.of("target", "gdnsd-differential.txt"), transcript);
    assertThat(compared).isGreaterThan(100);
    assertThat(mismatches).as(String.join("\n", mismatches)).isEmpty();
  }

  @Test
  void theAdvertisedPayloadIs1232WhereGdnsdSays1024() throws Exception {
    byte[] q = query("www.example.com.", Type.A, DClass.IN, true).toWire();
    assertThat(new Message(TestClient.exchange(gdnsd.port(), q, false)).getOPT().getPayloadSize()).isEqualTo(1024);
    assertThat(new Message(TestClient.exchange(ourPort, q, false)).getOPT().getPayloadSize()).isEqualTo(1232);
  }
}
