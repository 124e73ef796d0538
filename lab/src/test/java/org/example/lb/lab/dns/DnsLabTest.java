package org.example.lb.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.example.lb.common.config.ConfigLoader;
import org.example.lb.common.test.Poll;
import org.example.lb.lab.LabUp;
import org.example.lb.lab.netns.Exec;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.node.LabServices;
import org.example.lb.lab.state.Resource;
import org.example.lb.lab.support.LabTest;
import org.example.lb.lab.support.RouterFib;
import org.example.lb.lab.support.SharedLab;
import org.example.lb.lab.support.Undo;
import org.example.lb.lab.support.SharedLab.RunningLab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The DNS tier in the running lab: dns-tier on DNS1 and DNS2 answers example.org on the anycast address
 * 198.51.100.53, which each node's bgp-speaker announces while its server answers; www names answer the VIPs that
 * pass http_status through the whole stack and that /etc/lb/ext does not take out. The users node resolves through
 * it. Maintenance is done as on a real host: a line in /etc/lb/ext, a killed server.
 */
@LabTest
@Order(6)
@ExtendWith(SharedLab.class)
class DnsLabTest {
  private static final Duration CMD = Duration.ofSeconds(60);
  private static final Set<String> DNS_NODES = Set.of("DNS1", "DNS2");
  private static final String ANYCAST = "198.51.100.53";
  private static final List<String> ANYCAST_ADDRESSES = List.of(ANYCAST, "2001:db8::c633:6435");
  private static final Set<String> VIPS_V4 = Set.of("198.51.100.1", "198.51.100.2");
  private static final Set<String> VIPS_V6 = Set.of("2001:db8::c633:6401", "2001:db8::c633:6402");
  /** One check interval of the lab's monitors: an extfile change must show in the answers within it. */
  private static final Duration ONE_INTERVAL = Duration.ofSeconds(DnsTier.CHECK_INTERVAL_SECONDS);
  /** What running dig in a namespace may add to a deadline on this 2-core machine. */
  private static final Duration EXEC_SLACK = Duration.ofSeconds(2);
  /** A path coming back: the JVM starts, rise 2 checks, and BGP propagates through the reflectors. */
  private static final Duration REJOIN = Duration.ofSeconds(40);

  private final Undo undo = new Undo();

  @AfterEach
  void restore() {
    undo.runAll();
  }

  @Test
  void wwwAnswersBothVipsFromEveryDnsNodeOverUdpAndTcp(RunningLab lab) {
    awaitEveryVipUp();
    for (String node : DNS_NODES) {
      for (boolean tcp : new boolean[] {false, true}) {
        assertThat(local(node, "www", "A", tcp)).as("%s www A (tcp %s)", node, tcp).isEqualTo(VIPS_V4);
        assertThat(local(node, "www", "AAAA", tcp)).as("%s www AAAA (tcp %s)", node, tcp).isEqualTo(VIPS_V6);
      }
      assertThat(local(node, "www1", "A", false)).containsExactly("198.51.100.1");
      assertThat(local(node, "www2", "A", false)).containsExactly("198.51.100.2");
      assertThat(local(node, "www2", "AAAA", false)).containsExactly("2001:db8::c633:6402");
      JsonNode states = states(node);
      assertThat(states.path("monitors").properties()).as("%s: monitors %s", node, states).hasSize(8)
          .allSatisfy(m -> assertThat(m.getValue().path("state").asText()).as(m.getKey()).isEqualTo("UP"));
      assertThat(states.path("monitors").path("198.51.100.1/http").path("lastCheck").asText())
          .as("%s checks http://198.51.100.1/healthcheck through routers, LB4, LB7 and a server", node)
          .startsWith("ok HTTP 200");
    }
  }

  @Test
  void usersResolveThroughTheAnycastAddressAndReachWwwByNameThroughEveryTier(RunningLab lab) {
    awaitEveryVipUp();
    RouterFib.awaitNextHops(lab, ANYCAST_ADDRESSES, DNS_NODES, REJOIN);
    // The users' resolv.conf (ip netns exec mounts /etc/netns/users/resolv.conf over /etc/resolv.conf).
    Exec.Result resolv = Netns.exec("users", List.of("cat", "/etc/resolv.conf"), CMD);
    assertThat(resolv.stdout()).contains("nameserver " + ANYCAST);
    assertThat(dig("users", List.of("+short", "www.example.org", "A"))).isEqualTo(VIPS_V4);
    assertThat(dig("users", List.of("+short", "-6", "@2001:db8::198.51.100.53", "www.example.org", "AAAA")))
        .isEqualTo(VIPS_V6);
    // Answered by one of the two nodes, whichever the routers' ECMP picked (NSID, RFC 5001).
    Exec.Result nsid = Netns.exec("users", List.of("dig", "+nsid", "+time=2", "+tries=2", "www.example.org"), CMD);
    assertThat(nsid.stdout()).containsAnyOf("NSID: 64 6e 73 31", "NSID: 64 6e 73 32", "(\"dns1\")", "(\"dns2\")");
    for (String family : List.of("-4", "-6")) {
      Exec.Result page = Netns.exec("users", List.of("curl", "-s", family, "--max-time", "10", "-o", "/dev/null",
          "-w", "%{http_code} %{remote_ip}", "http://www.example.org/"), CMD);
      assertThat(page.stdout()).as("curl %s http://www.example.org/ from users", family)
          .matches("200 (198\\.51\\.100\\.[12]|2001:db8::c633:640[12])");
    }
  }

  @Test
  void anExtfileLineTakesAVipOutOfTheAnswersWithinOneCheckInterval(RunningLab lab) {
    awaitEveryVipUp();
    undo.add(() -> DNS_NODES.forEach(n -> run(n, ": > " + DnsTier.EXTFILE))); // every address back to its default, UP
    long written = System.nanoTime();
    for (String node : DNS_NODES) {
      run(node, "echo '198.51.100.2 => DOWN' > " + DnsTier.EXTFILE);
    }
    for (String node : DNS_NODES) {
      Poll.until(ONE_INTERVAL.plus(EXEC_SLACK), () -> node + " answers www A with 198.51.100.1 only (now "
          + local(node, "www", "A", false) + ")", () -> local(node, "www", "A", false).equals(Set.of("198.51.100.1")));
    }
    System.out.printf("/etc/lb/ext 198.51.100.2 => DOWN on DNS1 and DNS2: answered without it after %d ms%n",
        (System.nanoTime() - written) / 1_000_000);
    for (String node : DNS_NODES) {
      assertThat(local(node, "www2", "A", false)).as("%s: www2 fails over (simplefo)", node)
          .containsExactly("198.51.100.1");
      assertThat(local(node, "www", "AAAA", false)).as("%s: the IPv6 VIPs are untouched", node).isEqualTo(VIPS_V6);
    }
    assertThat(dig("users", List.of("+short", "www.example.org", "A"))).containsExactly("198.51.100.1");

    for (String node : DNS_NODES) {
      run(node, "echo '198.51.100.2 => UP' > " + DnsTier.EXTFILE);
    }
    for (String node : DNS_NODES) {
      Poll.until(ONE_INTERVAL.plus(EXEC_SLACK), () -> node + " answers www A with both VIPs again",
          () -> local(node, "www", "A", false).equals(VIPS_V4));
    }
  }

  @Test
  void everyVipDownAnswersEveryVipAsMultifoDoes(RunningLab lab) {
    awaitEveryVipUp();
    undo.add(() -> DNS_NODES.forEach(n -> run(n, ": > " + DnsTier.EXTFILE))); // every address back to its default, UP
    for (String node : DNS_NODES) {
      run(node, "printf '198.51.100.1 => DOWN\\n198.51.100.2 => DOWN\\n' > " + DnsTier.EXTFILE);
    }
    for (String node : DNS_NODES) {
      Poll.until(ONE_INTERVAL.plus(EXEC_SLACK), () -> node + " reports resource www down (now "
          + states(node).path("resources").path("www") + ")",
          () -> states(node).path("resources").path("www").path("state").asText().equals("down"));
      assertThat(local(node, "www", "A", false)).as("%s: every address when fewer than up_thresh are up", node)
          .isEqualTo(VIPS_V4);
      assertThat(local(node, "www", "AAAA", false)).isEqualTo(VIPS_V6);
    }
    assertThat(dig("users", List.of("+short", "www.example.org", "A"))).isEqualTo(VIPS_V4);
  }

  @Test
  void aDnsNodeWhoseServerDiesIsWithdrawnAndComesBackWithIt(RunningLab lab) throws IOException {
    RouterFib.awaitNextHops(lab, ANYCAST_ADDRESSES, DNS_NODES, REJOIN);
    LabServices services = new LabServices(lab.paths(), LabUp.serviceEnvironment(lab.root()));
    long killed = System.nanoTime();
    Resource.Process server = services.kill("DNS1", "dns-tier");
    undo.add(() -> RouterFib.awaitNextHops(lab, ANYCAST_ADDRESSES, DNS_NODES, REJOIN));
    undo.restart(services, server);
    // The speaker's check (a query to the local server) fails twice (fall 2, 1 s apart) and it withdraws.
    RouterFib.awaitNextHops(lab, ANYCAST_ADDRESSES, Set.of("DNS2"), Duration.ofSeconds(15));
    long goneMillis = (System.nanoTime() - killed) / 1_000_000;
    for (int i = 0; i < 10; i++) {
      assertThat(dig("users", List.of("+short", "+tries=1", "www.example.org", "A"))).as("query %d via DNS2", i)
          .isNotEmpty();
    }

    long restarted = System.nanoTime();
    services.start(server);
    undo.forgetLast();
    RouterFib.awaitNextHops(lab, ANYCAST_ADDRESSES, DNS_NODES, REJOIN);
    System.out.printf("DNS1's dns-tier killed: 198.51.100.53 via DNS1 gone from R1 and R2 in %d ms; restarted: back"
        + " in %d ms%n", goneMillis, (System.nanoTime() - restarted) / 1_000_000);
  }

  // --- helpers ---

  /** Every monitor of both DNS nodes UP: the VIPs pass their checks (lab up waits for it too). */
  private static void awaitEveryVipUp() {
    for (String node : DNS_NODES) {
      Poll.until(REJOIN, () -> node + ": every monitor UP (now " + states(node).path("monitors") + ")",
          () -> {
            JsonNode monitors = states(node).path("monitors");
            return monitors.size() > 0 && monitors.properties().stream()
                .allMatch(m -> m.getValue().path("state").asText().equals("UP"));
          });
    }
  }

  /** The addresses a DNS node's own server answers for {@code name}.example.org (queried on lo). */
  private static Set<String> local(String node, String name, String type, boolean tcp) {
    List<String> args = new ArrayList<>(List.of("+short", "@" + ANYCAST, name + "." + DnsTier.ZONE, type));
    if (tcp) {
      args.add("+tcp");
    }
    return dig(node, args);
  }

  private static Set<String> dig(String node, List<String> args) {
    List<String> command = new ArrayList<>(List.of("dig", "+time=2", "+tries=2"));
    command.addAll(args);
    Exec.Result r = Netns.exec(node, command, CMD);
    assertThat(r.exitCode()).as("%s: %s: %s", node, command, r.stdout() + r.stderr()).isZero();
    return new TreeSet<>(r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
  }

  private static JsonNode states(String node) {
    Exec.Result r = Netns.exec(node, List.of("curl", "-s", "--max-time", "5", DnsTier.adminUrl("/states")), CMD);
    try {
      return ConfigLoader.json().readTree(r.stdout().isBlank() ? "{}" : r.stdout());
    } catch (IOException e) {
      throw new UncheckedIOException(node + ": /states: " + r.stdout() + r.stderr(), e);
    }
  }

  private static void run(String node, String script) {
    Exec.Result r = Netns.exec(node, List.of("sh", "-c", script), CMD);
    assertThat(r.exitCode()).as("%s: %s: %s", node, script, r.stderr()).isZero();
  }
}
