package org.example.lb.bgp.gobgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import apipb.Attribute;
import apipb.Gobgp;
import com.google.protobuf.Any;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RouteCodecTest {
  private static InetAddress ip(String s) {
    return org.example.lb.common.config.Addresses.parseLiteral(s).orElseThrow();
  }

  @Test
  void ipv4RoutesCarryNextHopAndEveryAttributeBackAndForth() {
    Route r = Route.of(Prefix.parse("198.51.100.1/32"), ip("192.0.2.88")).withMed(100).withLocalPref(200)
        .withCommunities("64496:100", "64496:7").withLargeCommunities("64496:1:2");
    Gobgp.Path path = RouteCodec.encode(r);
    assertThat(path.getFamily()).isEqualTo(RouteCodec.IPV4_UNICAST);
    assertThat(path.getPattrsList()).anyMatch(a -> a.is(Attribute.NextHopAttribute.class))
        .noneMatch(a -> a.is(Attribute.MpReachNLRIAttribute.class));
    assertThat(RouteCodec.decode(path)).contains(r);
    assertThat(r.communities()).extracting(Community::toString).containsExactly("64496:7", "64496:100");
  }

  @Test
  void ipv6RoutesCarryTheNextHopInMpReachNlri() throws Exception {
    Route r = Route.of(Prefix.parse("2001:db8::198.51.100.1/128"), ip("2001:db8:0:3::88")).withMed(1000);
    Gobgp.Path path = RouteCodec.encode(r);
    assertThat(path.getFamily()).isEqualTo(RouteCodec.IPV6_UNICAST);
    Any mp = path.getPattrsList().stream().filter(a -> a.is(Attribute.MpReachNLRIAttribute.class)).findFirst()
        .orElseThrow();
    Attribute.MpReachNLRIAttribute m = mp.unpack(Attribute.MpReachNLRIAttribute.class);
    assertThat(m.getNextHopsList()).containsExactly("2001:db8:0:3::88");
    assertThat(m.getNlrisList()).containsExactly(path.getNlri());
    assertThat(RouteCodec.decode(path)).contains(r);
  }

  @Test
  void largeUnsignedValuesSurviveTheSignedProtobufFields() {
    Route r = Route.of(Prefix.parse("198.51.100.2/32"), ip("192.0.2.1")).withMed(4_294_967_295L)
        .withLargeCommunities("4294967295:4294967294:1");
    assertThat(RouteCodec.decode(RouteCodec.encode(r))).contains(r);
  }

  @Test
  void pathsOfOtherFamiliesOrWithoutANextHopAreNotRoutes() {
    Gobgp.Path flow = Gobgp.Path.newBuilder().setNlri(Any.pack(Attribute.FlowSpecNLRI.getDefaultInstance())).build();
    assertThat(RouteCodec.decode(flow)).isEmpty();
    Gobgp.Path noNextHop = Gobgp.Path.newBuilder().setNlri(RouteCodec.nlri(Prefix.parse("198.51.100.0/24"))).build();
    assertThat(RouteCodec.decode(noNextHop)).isEmpty();
  }

  @Test
  void badValuesSayWhatWasExpected() {
    assertThatThrownBy(() -> Prefix.parse("198.51.100.1/24"))
        .hasMessage("198.51.100.1/24 (expected: a network address, no bits set past /24)");
    assertThatThrownBy(() -> Prefix.parse("198.51.100.0/33"))
        .hasMessage("198.51.100.0/33 (expected: ADDRESS/LENGTH with a length of 0..32)");
    assertThatThrownBy(() -> Prefix.parse("www.example.org/32"))
        .hasMessageContaining("(expected: ADDRESS/LENGTH with an IP literal)");
    assertThatThrownBy(() -> Route.of(Prefix.parse("198.51.100.1"), ip("2001:db8::1")))
        .hasMessage("nextHop: 2001:db8::1 (expected: an address of 198.51.100.1/32's family)");
    assertThatThrownBy(() -> Community.parse("64496:70000")).hasMessageContaining("each 0..65535");
    assertThatThrownBy(() -> LargeCommunity.parse("1:2")).hasMessageContaining("GLOBAL:LOCAL1:LOCAL2");
  }

  @Test
  void aPeerReadBackAsEncodedMatchesAndAnyDifferenceDoesNot() {
    PeerSettings p = new PeerSettings(ip("127.0.0.2"), 64496, Duration.ofSeconds(9), Duration.ofSeconds(3),
        Duration.ofSeconds(5), Optional.of("s3cret"), OptionalInt.of(10179), Optional.of(ip("127.0.0.1")));
    Gobgp.Peer encoded = PeerCodec.encode(p);
    assertThat(encoded.getAfiSafisCount()).isEqualTo(2);
    assertThat(PeerCodec.matches(encoded, p)).isTrue();
    assertThat(PeerCodec.matches(encoded, new PeerSettings(ip("127.0.0.2"), 64496, Duration.ofSeconds(6),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Optional.of("s3cret"), OptionalInt.of(10179),
        Optional.of(ip("127.0.0.1"))))).isFalse();
    assertThat(PeerCodec.matches(encoded, new PeerSettings(ip("127.0.0.2"), 64496, Duration.ofSeconds(9),
        Duration.ofSeconds(3), Duration.ofSeconds(5), Optional.empty(), OptionalInt.of(10179),
        Optional.of(ip("127.0.0.1"))))).isFalse();
  }

  /** Once the TCP connection exists, gobgpd reports its local address where the configured one was. */
  @Test
  void aPeerWithNoLocalAddressMatchesTheAddressItsSessionReports() {
    PeerSettings p = PeerSettings.of(ip("192.0.2.67"), 64496);
    Gobgp.Peer encoded = PeerCodec.encode(p);
    Gobgp.Peer established = encoded.toBuilder()
        .setTransport(encoded.getTransport().toBuilder().setLocalAddress("192.0.2.88")).build();
    assertThat(PeerCodec.matches(encoded, p)).isTrue();
    assertThat(PeerCodec.matches(established, p)).isTrue();
    PeerSettings fromElsewhere = new PeerSettings(ip("192.0.2.67"), 64496, Duration.ofSeconds(9),
        Duration.ofSeconds(3), Duration.ofSeconds(5), Optional.empty(), OptionalInt.empty(),
        Optional.of(ip("192.0.2.89")));
    assertThat(PeerCodec.matches(established, fromElsewhere)).isFalse();
  }

  @Test
  void sessionStateCodesRoundTripAndUnknownOnesAreUnknown() {
    assertThat(SessionState.valueOf(6)).isEqualTo(SessionState.ESTABLISHED);
    assertThat(SessionState.valueOf(42)).isEqualTo(SessionState.UNKNOWN);
  }
}
