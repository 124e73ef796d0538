package org.example.lb.bgp.gobgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.example.lb.common.config.Addresses;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The announcer against a real, unconfigured gobgpd on loopback (as on a speaker node). */
class AnnouncerTest {
  static final GlobalSettings GLOBAL = new GlobalSettings(64496, (Inet4Address) ip("192.0.2.88"), -1, List.of());
  static final Route VIP4 = Route.of(Prefix.parse("198.51.100.1/32"), ip("192.0.2.88")).withMed(100)
      .withCommunities("64496:100").withLargeCommunities("64496:0:1").withLocalPref(150);
  static final Route VIP6 = Route.of(Prefix.parse("2001:db8::198.51.100.1/128"), ip("2001:db8:0:3::88")).withMed(100);
  static final Route VIP4B = Route.of(Prefix.parse("198.51.100.2/32"), ip("192.0.2.88")).withMed(100);
  static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  static InetAddress ip(String s) {
    return Addresses.parseLiteral(s).orElseThrow();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : cleanup.reversed()) {
      c.close();
    }
  }

  private GobgpdProcess gobgpd() throws Exception {
    GobgpdProcess g = GobgpdProcess.start(dir);
    cleanup.add(g::shutdown);
    return g;
  }

  private Announcer announcer(GobgpdProcess g, List<PeerSettings> peers) {
    GobgpClient client = GobgpClient.connect(g.api(), Duration.ofSeconds(5));
    Announcer a = Announcer.start(client, AnnouncerSettings.of(GLOBAL, peers));
    cleanup.add(client);
    cleanup.add(a);
    return a;
  }

  private static AnnouncerStatus flush(Announcer a) throws Exception {
    return a.flush().get(10, TimeUnit.SECONDS);
  }

  @Test
  void startsBgpAndAnnouncesEachRouteWithItsAttributes() throws Exception {
    GobgpdProcess g = gobgpd();
    assertThat(g.client().global()).isEmpty();
    Announcer a = announcer(g, List.of());
    a.announce(VIP4);
    a.announce(VIP6);
    AnnouncerStatus s = flush(a);
    assertThat(s.connected()).isTrue();
    assertThat(s.inSync()).isTrue();
    assertThat(s.lastError()).isEmpty();
    assertThat(s.announced()).containsExactlyInAnyOrder(VIP4, VIP6);
    assertThat(g.localRoutes()).containsExactlyInAnyOrder(VIP4, VIP6);
    assertThat(g.client().global()).hasValueSatisfying(gl -> {
      assertThat(gl.asn()).isEqualTo(64496);
      assertThat(gl.routerId()).isEqualTo(GLOBAL.routerId());
    });
  }

  @Test
  void withdrawingAPrefixRemovesOnlyItsPath() throws Exception {
    GobgpdProcess g = gobgpd();
    Announcer a = announcer(g, List.of());
    a.announce(VIP4);
    a.announce(VIP4B);
    a.announce(VIP6);
    flush(a);
    a.withdraw(VIP4.prefix());
    assertThat(flush(a).inSync()).isTrue();
    assertThat(g.localRoutes()).containsExactlyInAnyOrder(VIP4B, VIP6);
  }

  @Test
  void setRoutesReplacesEverythingWantedInOneStep() throws Exception {
    GobgpdProcess g = gobgpd();
    Announcer a = announcer(g, List.of());
    a.setRoutes(List.of(VIP4, VIP6));
    flush(a);
    assertThat(g.localRoutes()).containsExactlyInAnyOrder(VIP4, VIP6);
    a.setRoutes(List.of(VIP4B, VIP6.withMed(1000)));
    assertThat(flush(a).inSync()).isTrue();
    assertThat(g.localRoutes()).containsExactlyInAnyOrder(VIP4B, VIP6.withMed(1000));
    assertThatThrownBy(() -> a.setRoutes(List.of(VIP4, VIP4.withMed(5))))
        .hasMessage("routes: 198.51.100.1/32 twice (expected: at most one route per prefix)");
  }

  @Test
  void aDemotedMedReplacesThePathInGobgpdsRib() throws Exception {
    GobgpdProcess g = gobgpd();
    Announcer a = announcer(g, List.of());
    a.announce(VIP4);
    flush(a);
    a.announce(VIP4.withMed(1000));
    flush(a);
    assertThat(g.localRoutes()).containsExactly(VIP4.withMed(1000));
  }

  @Test
  void withdrawAllLeavesGobgpdWithoutOurRoutes() throws Exception {
    GobgpdProcess g = gobgpd();
    Announcer a = announcer(g, List.of());
    a.announce(VIP4);
    a.announce(VIP6);
    flush(a);
    a.withdrawAll().get(10, TimeUnit.SECONDS);
    assertThat(g.localRoutes()).isEmpty();
    assertThat(a.status().announced()).isEmpty();
  }

  @Test
  void routesLeftByAnEarlierSpeakerProcessAreWithdrawnAndWantedOnesKept() throws Exception {
    GobgpdProcess g = gobgpd();
    Announcer earlier = announcer(g, List.of());
    earlier.announce(VIP4);
    earlier.announce(VIP4B);
    flush(earlier);
    earlier.close(); // crashed: nothing withdrawn

    Announcer next = announcer(g, List.of());
    next.announce(VIP4);
    assertThat(flush(next).inSync()).isTrue();
    assertThat(g.localRoutes()).containsExactly(VIP4);
  }

  @Test
  void aNewAnnouncerAdoptsGobgpdsRoutesUntilToldWhatToWant() throws Exception {
    GobgpdProcess g = gobgpd();
    Announcer earlier = announcer(g, List.of());
    earlier.announce(VIP4);
    earlier.announce(VIP4B);
    flush(earlier);
    earlier.close(); // a restart: nothing withdrawn

    Announcer next = announcer(g, List.of());
    for (int i = 0; i < 3; i++) {
      AnnouncerStatus s = flush(next);
      assertThat(s.connected()).isTrue();
      assertThat(s.announced()).containsExactlyInAnyOrder(VIP4, VIP4B);
    }
    assertThat(g.localRoutes()).containsExactlyInAnyOrder(VIP4, VIP4B);

    next.announce(VIP4);
    assertThat(flush(next).inSync()).isTrue();
    assertThat(g.localRoutes()).containsExactly(VIP4);
  }

  @Test
  void peersAreConfiguredWithTheirTimersAndRemovedWhenNoLongerWanted() throws Exception {
    GobgpdProcess g = gobgpd();
    PeerSettings rr1 = new PeerSettings(ip("127.0.0.3"), 64496, Duration.ofSeconds(6), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Optional.empty(), java.util.OptionalInt.of(FreePorts.one()), Optional.empty());
    PeerSettings rr2 = PeerSettings.of(ip("127.0.0.4"), 64496);
    Announcer a = announcer(g, List.of(rr1, rr2));
    assertThat(flush(a).peers()).extracting(PeerStatus::neighborAddress)
        .containsExactlyInAnyOrder("127.0.0.3", "127.0.0.4");
    assertThat(g.client().listPeerMessages()).filteredOn(p -> p.getConf().getNeighborAddress().equals("127.0.0.3"))
        .singleElement().satisfies(p -> assertThat(PeerCodec.matches(p, rr1)).isTrue());

    a.setPeers(List.of(rr2));
    assertThat(flush(a).peers()).extracting(PeerStatus::neighborAddress).containsExactly("127.0.0.4");
    assertThat(g.peers()).extracting(PeerStatus::neighborAddress).containsExactly("127.0.0.4");
  }

  @Test
  void aRestartedEmptyGobgpdGetsItsInstancePeersAndRoutesBack() throws Exception {
    GobgpdProcess g = GobgpdProcess.start(dir);
    int port = g.apiPort();
    Announcer a = announcer(g, List.of(PeerSettings.of(ip("127.0.0.3"), 64496)));
    a.announce(VIP4);
    a.announce(VIP6);
    assertThat(flush(a).inSync()).isTrue();

    g.shutdown();
    Poll.until(DEADLINE, "the announcer to notice gobgpd is gone", () -> !a.status().connected());
    assertThat(a.status().lastError()).hasValueSatisfying(e -> assertThat(e).contains("127.0.0.1:" + port)
        .doesNotContain("\n"));

    GobgpdProcess again = GobgpdProcess.start(dir, port, Optional.empty());
    cleanup.add(again::shutdown);
    Poll.untilAsserted(DEADLINE, IllegalStateException.class, () -> assertThat(again.localRoutes()).containsExactlyInAnyOrder(VIP4, VIP6));
    Poll.untilAsserted(DEADLINE, IllegalStateException.class, () -> assertThat(again.peers()).extracting(PeerStatus::neighborAddress)
        .containsExactly("127.0.0.3"));
    Poll.until(DEADLINE, "the announcer to be in sync again", () -> a.status().inSync());
  }

  @Test
  void anUnreachableGobgpdIsOneClearLineAndWithdrawAllFails() throws Exception {
    int nothing = FreePorts.one();
    GobgpClient client = GobgpClient.connect(GobgpdProcess.api(nothing), Duration.ofSeconds(2));
    Announcer a = Announcer.start(client, AnnouncerSettings.of(GLOBAL, List.of()));
    cleanup.add(client);
    cleanup.add(a);
    AnnouncerStatus s = flush(a);
    assertThat(s.connected()).isFalse();
    assertThat(s.lastError()).hasValueSatisfying(e -> assertThat(e)
        .startsWith("GetBgp at gobgpd 127.0.0.1:" + nothing + " failed: UNAVAILABLE").doesNotContain("\n"));
    assertThatThrownBy(() -> a.withdrawAll().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(GobgpException.class).hasMessageContaining("UNAVAILABLE");
  }

  @Test
  void aRunningInstanceOfAnotherAsIsReportedAndNotReplaced() throws Exception {
    GobgpdProcess g = gobgpd();
    g.client().start(new GlobalSettings(65000, (Inet4Address) ip("192.0.2.1"), -1, List.of()));
    Announcer a = announcer(g, List.of());
    a.announce(VIP4);
    AnnouncerStatus s = flush(a);
    assertThat(s.connected()).isTrue();
    assertThat(s.inSync()).isFalse();
    assertThat(s.lastError()).hasValue("gobgpd at 127.0.0.1:" + g.apiPort() + " runs AS 65000 router id 192.0.2.1,"
        + " not AS 64496 router id 192.0.2.88 (expected: the configured instance; restart gobgpd to change it)");
    assertThat(g.client().global().orElseThrow().asn()).isEqualTo(65000);
    assertThat(g.localRoutes()).isEmpty();
  }
}
