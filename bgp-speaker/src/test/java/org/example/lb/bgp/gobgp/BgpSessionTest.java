package org.example.lb.bgp.gobgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.example.lb.bgp.gobgp.AnnouncerTest.GLOBAL;
import static org.example.lb.bgp.gobgp.AnnouncerTest.VIP4;
import static org.example.lb.bgp.gobgp.AnnouncerTest.VIP6;
import static org.example.lb.bgp.gobgp.AnnouncerTest.ip;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A speaker's gobgpd (driven by the announcer) in a real BGP session with a second gobgpd configured like the lab's
 * route reflectors (TOML, passive towards the speaker), both on loopback: what the peer receives is what the routers
 * would. The session is signed with TCP MD5 (RFC 2385). One session for the class: GoBGP waits a random few seconds before its first connect.
 */
class BgpSessionTest {
  static final Duration SESSION_DEADLINE = Duration.ofSeconds(60);
  static final Duration DEADLINE = Duration.ofSeconds(10);
  @TempDir static Path dir;
  static GobgpdProcess reflector;
  static GobgpdProcess speaker;
  static GobgpClient client;
  static Announcer announcer;

  @BeforeAll
  static void peer() throws Exception {
    int bgpPort = FreePorts.one();
    reflector = GobgpdProcess.start(dir, FreePorts.one(), Optional.of("""
        [global.config]
          as = 64496
          router-id = "192.0.2.254"
          port = %d
          local-address-list = ["127.0.0.2"]
        [[neighbors]]
          [neighbors.config]
            neighbor-address = "127.0.0.1"
            peer-as = 64496
            auth-password = "s3cret"
          [neighbors.transport.config]
            passive-mode = true
          [neighbors.timers.config]
            hold-time = 3
            keepalive-interval = 1
          [neighbors.route-reflector.config]
            route-reflector-client = true
            route-reflector-cluster-id = "192.0.2.254"
          [[neighbors.afi-safis]]
            [neighbors.afi-safis.config]
              afi-safi-name = "ipv4-unicast"
          [[neighbors.afi-safis]]
            [neighbors.afi-safis.config]
              afi-safi-name = "ipv6-unicast"
        """.formatted(bgpPort)));
    speaker = GobgpdProcess.start(dir);
    client = GobgpClient.connect(speaker.api(), Duration.ofSeconds(5));
    PeerSettings rr = new PeerSettings(ip("127.0.0.2"), 64496, Duration.ofSeconds(3), Duration.ofSeconds(1),
        Duration.ofSeconds(5), Optional.of("s3cret"), OptionalInt.of(bgpPort), Optional.empty());
    announcer = Announcer.start(client, AnnouncerSettings.of(GLOBAL, List.of(rr)));
    Poll.until(SESSION_DEADLINE, () -> "the session with the reflector (speaker log: " + speaker.log() + ")",
        () -> announcer.status().peers().stream().anyMatch(PeerStatus::established));
  }

  @AfterAll
  static void stop() {
    if (announcer != null) {
      announcer.close();
      client.close();
    }
    if (speaker != null) {
      speaker.shutdown();
    }
    if (reflector != null) {
      reflector.shutdown();
    }
  }

  private static List<Route> receivedByReflector() {
    return reflector.paths().stream().filter(p -> p.neighbor().equals(Optional.of("127.0.0.1")))
        .map(RibPath::route).toList();
  }

  /** What an internal peer receives: LOCAL_PREF is always sent to one (RFC 4271 §5.1.5), GoBGP's default 100. */
  private static Route overIbgp(Route r) {
    return r.localPref().isPresent() ? r : r.withLocalPref(100);
  }

  @Test
  void thePeerReceivesBothFamiliesWithNextHopSelfAndTheMed() {
    announcer.announce(VIP4);
    announcer.announce(VIP6);
    Poll.untilAsserted(DEADLINE, () -> assertThat(receivedByReflector()).containsExactlyInAnyOrder(VIP4, overIbgp(VIP6)));
    Poll.untilAsserted(DEADLINE, () -> assertThat(announcer.status().peers()).as("the status counts what was sent")
        .singleElement().satisfies(p -> assertThat(p.advertised()).isEqualTo(2)));

    announcer.announce(VIP4.withMed(1000));
    Poll.untilAsserted(DEADLINE, () -> assertThat(receivedByReflector())
        .containsExactlyInAnyOrder(VIP4.withMed(1000), overIbgp(VIP6)));

    announcer.withdraw(VIP6.prefix());
    Poll.untilAsserted(DEADLINE, () -> assertThat(receivedByReflector()).containsExactly(VIP4.withMed(1000)));
    announcer.withdraw(VIP4.prefix());
    Poll.untilAsserted(DEADLINE, () -> assertThat(receivedByReflector()).isEmpty());
  }

  @Test
  void anEstablishedSessionIsLeftAloneByLaterRounds() throws Exception {
    apipb.Gobgp.Peer before = client.listPeerMessages().getFirst();
    for (int i = 0; i < 3; i++) {
      announcer.flush().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    apipb.Gobgp.Peer after = client.listPeerMessages().getFirst();
    assertThat(GobgpClient.status(after).state()).isEqualTo(SessionState.ESTABLISHED);
    assertThat(after.getTimers().getState().getUptime()).isEqualTo(before.getTimers().getState().getUptime());
    assertThat(after.getState().getFlops()).isEqualTo(before.getState().getFlops());
  }

  @Test
  void theStatusReportsTheEstablishedSession() {
    assertThat(announcer.status().peers()).singleElement().satisfies(p -> {
      assertThat(p.neighborAddress()).isEqualTo("127.0.0.2");
      assertThat(p.peerAsn()).isEqualTo(64496);
      assertThat(p.state()).isEqualTo(SessionState.ESTABLISHED);
    });
  }
}
