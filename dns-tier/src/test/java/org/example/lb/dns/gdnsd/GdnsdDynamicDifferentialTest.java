package org.example.lb.dns.gdnsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.Poll;
import org.example.lb.dns.TestClient;
import org.example.lb.dns.TestFiles;
import org.example.lb.dns.TestServer;
import org.example.lb.dns.TestZones;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Dynamic answers of dns-tier and of the real gdnsd 3.8 with the same resources, driven by the same state files: one
 * extfile (direct mode, read by both) and one admin_state file (gdnsd's, which dns-tier is told to read too), plus
 * static monitors. After each change of state, gdnsd is first seen answering as its semantics say it must (so a step
 * is never compared before it happened), then dns-tier must give the same answers to every probe (rcode, flags,
 * sections sorted, TTLs; gdnsd rotates address RRsets, so order is not compared).
 *
 * <p>gdnsd runs with {@code GDNSD_TESTSUITE_NODELAY}, its test-suite switch, so it applies changes at once instead of
 * about a second later (its coalescing timers); and, as in {@link GdnsdDifferentialTest}, with CNAME chains followed.
 */
class GdnsdDynamicDifferentialTest {
  static final Duration DEADLINE = Duration.ofSeconds(20);
  @TempDir static Path dir;
  private static GdnsdProcess gdnsd;
  private static TestServer ours;
  private static int ourPort;
  private static Path extFile;
  private static Path adminState;

  @BeforeAll
  static void start() throws Exception {
    extFile = dir.resolve("ext").resolve("www");
    Files.createDirectories(extFile.getParent());
    TestFiles.replace(extFile, "192.0.2.2 => DOWN/50\n");
    adminState = GdnsdProcess.stateDirectory(dir).resolve("admin_state");
    Path gdnsdZone = dir.resolve("example.org.dyna");
    Files.writeString(gdnsdZone, Files.readString(TestZones.file("example.org")) + """
        www     300/30  DYNA multifo!www
        both    200/20  DYNA multifo!both
        st      300/20  DYNA multifo!st
        dyn     300     DYNA simplefo!mail
        """);
    gdnsd = GdnsdProcess.start(dir, FreePorts.one(), Map.of("example.org", gdnsdZone), List.of(
        "experimental_no_chain => false", "disable_cookies => true", "udp_threads => 1", "tcp_threads => 1"), """
        service_types => {
          ext => { plugin => extfile, file => %s, direct => true, def_ttl => 120 }
          stdown => { plugin => static, state => DOWN, ttl => 77 }
        }
        plugins => {
          static => {}
          multifo => {
            www => { service_types => [ ext ], addrs_v4 => [ 192.0.2.1, 192.0.2.2, 192.0.2.3 ],
                     addrs_v6 => [ "2001:db8::1", "2001:db8::2" ] }
            both => { service_types => [ ext, up ], up_thresh => 0.7, addrs_v4 => [ 192.0.2.1, 192.0.2.3 ],
                      addrs_v6 => [ "2001:db8::1" ] }
            st => { service_types => [ stdown ], addrs_v4 => [ 192.0.2.9 ] }
          }
          simplefo => {
            mail => { service_types => [ ext ], primary => 192.0.2.10, secondary => 192.0.2.20 }
          }
        }
        """.formatted(extFile), Map.of("GDNSD_TESTSUITE_NODELAY", "1"));
    Files.copy(TestZones.file("example.org"), dir.resolve("example.org.zone"));
    ours = TestServer.in(dir, List.of("127.0.0.1"), 1);
    ours.start("""
        zones: { example.org: example.org.zone }
        adminState: %s
        serviceTypes:
          ext: { plugin: extfile, file: %s, direct: true, defTtl: 120 }
          stdown: { plugin: static, state: down, ttl: 77 }
        resources:
          www: { plugin: multifo, addresses: [192.0.2.1, 192.0.2.2, 192.0.2.3, "2001:db8::1", "2001:db8::2"],
                 serviceTypes: [ext] }
          both: { plugin: multifo, addresses: [192.0.2.1, 192.0.2.3, "2001:db8::1"], serviceTypes: [ext, up],
                  upThresh: 0.7 }
          st: { plugin: multifo, addresses: [192.0.2.9], serviceTypes: [stdown] }
          mail: { plugin: simplefo, primary: 192.0.2.10, secondary: 192.0.2.20, serviceTypes: [ext] }
        dynamic:
          www.example.org: { resource: www, ttl: 300, minTtl: 30 }
          both.example.org: { resource: both, ttl: 200, minTtl: 20 }
          st.example.org: { resource: st, ttl: 300, minTtl: 20 }
          dyn.example.org: { resource: mail, ttl: 300 }
        """.formatted(adminState, extFile));
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

  private record Probe(String what, byte[] query, boolean tcp) {}

  private static Probe probe(String name, int type, boolean edns, boolean tcp) {
    return new Probe(name + " " + Type.string(type) + (edns ? " +edns" : "") + (tcp ? " tcp" : ""),
        TestClient.query(name, type, edns).toWire(), tcp);
  }

  private static List<Probe> probes() {
    List<Probe> p = new ArrayList<>();
    for (String name : new String[] {"www.example.org.", "both.example.org.", "st.example.org.", "dyn.example.org.",
        "alias.example.org.", "alias2.example.org."}) {
      for (int type : new int[] {Type.A, Type.AAAA}) {
        p.add(probe(name, type, false, false));
      }
    }
    p.add(probe("www.example.org.", Type.A, true, false));
    p.add(probe("www.example.org.", Type.MX, false, false));
    p.add(probe("www.example.org.", Type.ANY, false, false));
    p.add(probe("www.example.org.", Type.TXT, false, false));
    p.add(probe("WwW.ExAmPlE.OrG.", Type.AAAA, false, false));
    p.add(probe("dyn.example.org.", Type.A, true, false));
    p.add(probe("fixed.example.org.", Type.A, false, false));
    return p;
  }

  /** gdnsd's and dns-tier's descriptions of every probe, or the first difference. */
  private static List<String> differences() {
    List<String> out = new ArrayList<>();
    try {
      for (Probe probe : probes()) {
        String theirs = describe(TestClient.exchange(gdnsd.port(), probe.query(), probe.tcp()));
        String mine = describe(TestClient.exchange(ourPort, probe.query(), probe.tcp()));
        if (!theirs.equals(mine)) {
          out.add("== " + probe.what() + "\n-- gdnsd:\n" + theirs + "-- dns-tier:\n" + mine);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String describe(byte[] response) throws IOException {
    // the TCP keepalive option gdnsd adds is the only documented difference these probes could show (none is TCP)
    return GdnsdDifferentialTest.describe(response).replaceAll("(?m)^id \\d+\\n", "");
  }

  /** The A (or AAAA) answer of a name, as {@code TTL address} lines sorted. */
  private static List<String> answer(int port, String name, int type) {
    return TestClient.addresses(port, name, type);
  }

  /**
   * One step: gdnsd must come to answer {@code name} A with {@code expected} (what its semantics give for the new
   * states), then dns-tier must answer every probe as gdnsd does.
   */
  private static void step(String what, String name, List<String> expected, StringBuilder transcript) {
    Poll.until(DEADLINE, "gdnsd, after " + what + ", to answer " + name + " A with " + expected,
        () -> answer(gdnsd.port(), name, Type.A), expected::equals);
    Poll.until(DEADLINE, "dns-tier, after " + what + ", to answer every probe as gdnsd", () -> differences(),
        List::isEmpty);
    transcript.append("== ").append(what).append('\n');
    for (String n : new String[] {"www", "both", "st", "dyn"}) {
      transcript.append(n).append(" A ").append(answer(ourPort, n + ".example.org.", Type.A)).append(" AAAA ")
          .append(answer(ourPort, n + ".example.org.", Type.AAAA)).append('\n');
    }
  }

  @Test
  void dnsTierAnswersDynamicNamesAsGdnsdAfterEveryChangeOfState() throws Exception {
    StringBuilder transcript = new StringBuilder();
    step("start: 192.0.2.2 DOWN/50, the others not in the file (UP/120)", "www.example.org.",
        List.of("50 192.0.2.1", "50 192.0.2.3"), transcript);
    assertThat(answer(ourPort, "st.example.org.", Type.A)).as("static DOWN/77, alone: answered anyway")
        .containsExactly("77 192.0.2.9");

    TestFiles.replace(extFile, "192.0.2.1 => DOWN/400\n192.0.2.2 => DOWN/500\n");
    step("two of three DOWN: under up_thresh, all", "www.example.org.",
        List.of("120 192.0.2.1", "120 192.0.2.2", "120 192.0.2.3"), transcript);

    TestFiles.replace(extFile, "192.0.2.1 => UP/45\n192.0.2.2 => UP/600\n192.0.2.3 => UP/1000\n2001:db8::1 => DOWN/25\n"
        + "192.0.2.10 => DOWN/90\n192.0.2.20 => UP/70\n");
    step("an IPv6 address DOWN: the TTL of both families; simplefo on the secondary", "www.example.org.",
        List.of("30 192.0.2.1", "30 192.0.2.2", "30 192.0.2.3"), transcript);
    assertThat(answer(ourPort, "dyn.example.org.", Type.A)).containsExactly("150 192.0.2.20");

    TestFiles.replace(adminState, "192.0.2.3/ext => DOWN/35\n192.0.2.9/* => UP\n2001:db8::1/* => UP/60\n");
    step("admin_state forces .3 DOWN, the static monitor UP", "www.example.org.",
        List.of("35 192.0.2.1", "35 192.0.2.2"), transcript);
    assertThat(answer(ourPort, "st.example.org.", Type.A)).containsExactly("300 192.0.2.9");

    TestFiles.replace(adminState, "*/ext => DOWN/33\n192.0.2.20/ext => UP/66\n");
    step("admin_state forces every extfile monitor DOWN but one", "dyn.example.org.", List.of("150 192.0.2.20"),
        transcript);

    TestFiles.replace(extFile, "192.0.2.1 => DOWN\n");
    Files.delete(adminState);
    step("admin_state removed, a new extfile", "www.example.org.", List.of("120 192.0.2.2", "120 192.0.2.3"),
        transcript);

    Files.writeString(Path.of("target", "gdnsd-dynamic-differential.txt"), transcript);
  }
}
