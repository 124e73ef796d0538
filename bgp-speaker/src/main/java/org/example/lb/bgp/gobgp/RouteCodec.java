package org.example.lb.bgp.gobgp;

import apipb.Attribute;
import apipb.Gobgp;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.example.lb.common.config.Addresses;

/**
 * Routes to and from GoBGP's API {@code Path}: the NLRI and each attribute are {@code google.protobuf.Any} wrapping
 * the messages of GoBGP's attribute.proto. IPv4 routes carry NEXT_HOP (RFC 4271 §5.1.3); IPv6 routes carry the next
 * hop and the NLRI in MP_REACH_NLRI (RFC 4760 §3). Tested without a daemon.
 */
final class RouteCodec {
  static final Gobgp.Family IPV4_UNICAST = family(Gobgp.Family.Afi.AFI_IP);
  static final Gobgp.Family IPV6_UNICAST = family(Gobgp.Family.Afi.AFI_IP6);
  /** ORIGIN IGP (RFC 4271 §5.1.1). */
  private static final int ORIGIN_IGP = 0;

  private RouteCodec() {}

  static Gobgp.Family family(Gobgp.Family.Afi afi) {
    return Gobgp.Family.newBuilder().setAfi(afi).setSafi(Gobgp.Family.Safi.SAFI_UNICAST).build();
  }

  static Gobgp.Family familyOf(Prefix prefix) {
    return prefix.isIpv4() ? IPV4_UNICAST : IPV6_UNICAST;
  }

  static Any nlri(Prefix prefix) {
    return Any.pack(Attribute.IPAddressPrefix.newBuilder()
        .setPrefix(Addresses.toText(prefix.address())).setPrefixLen(prefix.length()).build());
  }

  /** The API path announcing {@code route}. */
  static Gobgp.Path encode(Route route) {
    Gobgp.Family family = familyOf(route.prefix());
    Any nlri = nlri(route.prefix());
    Gobgp.Path.Builder path = Gobgp.Path.newBuilder().setFamily(family).setNlri(nlri)
        .addPattrs(Any.pack(Attribute.OriginAttribute.newBuilder().setOrigin(ORIGIN_IGP).build()));
    String nextHop = Addresses.toText(route.nextHop());
    if (route.prefix().isIpv4()) {
      path.addPattrs(Any.pack(Attribute.NextHopAttribute.newBuilder().setNextHop(nextHop).build()));
    } else {
      path.addPattrs(Any.pack(Attribute.MpReachNLRIAttribute.newBuilder().setFamily(family).addNextHops(nextHop)
          .addNlris(nlri).build()));
    }
    route.med().ifPresent(m -> path.addPattrs(Any.pack(
        Attribute.MultiExitDiscAttribute.newBuilder().setMed((int) m).build())));
    route.localPref().ifPresent(l -> path.addPattrs(Any.pack(
        Attribute.LocalPrefAttribute.newBuilder().setLocalPref((int) l).build())));
    if (!route.communities().isEmpty()) {
      Attribute.CommunitiesAttribute.Builder c = Attribute.CommunitiesAttribute.newBuilder();
      route.communities().forEach(community -> c.addCommunities((int) community.toUint32()));
      path.addPattrs(Any.pack(c.build()));
    }
    if (!route.largeCommunities().isEmpty()) {
      Attribute.LargeCommunitiesAttribute.Builder c = Attribute.LargeCommunitiesAttribute.newBuilder();
      route.largeCommunities().forEach(l -> c.addCommunities(Attribute.LargeCommunity.newBuilder()
          .setGlobalAdmin((int) l.globalAdmin()).setLocalData1((int) l.localData1())
          .setLocalData2((int) l.localData2())));
      path.addPattrs(Any.pack(c.build()));
    }
    return path.build();
  }

  /**
   * The route an API path describes, if it is a unicast route this codec can read (other families, and attributes it
   * does not set, are ignored: AS_PATH, ORIGINATOR_ID, ...).
   */
  static Optional<Route> decode(Gobgp.Path path) {
    try {
      if (!path.getNlri().is(Attribute.IPAddressPrefix.class)) {
        return Optional.empty();
      }
      Attribute.IPAddressPrefix p = path.getNlri().unpack(Attribute.IPAddressPrefix.class);
      Optional<InetAddress> address = Addresses.parseLiteral(p.getPrefix());
      if (address.isEmpty()) {
        return Optional.empty();
      }
      Prefix prefix = new Prefix(address.get(), p.getPrefixLen());
      InetAddress nextHop = null;
      OptionalLong med = OptionalLong.empty();
      OptionalLong localPref = OptionalLong.empty();
      List<Community> communities = new ArrayList<>();
      List<LargeCommunity> large = new ArrayList<>();
      for (Any a : path.getPattrsList()) {
        if (a.is(Attribute.NextHopAttribute.class)) {
          nextHop = Addresses.parseLiteral(a.unpack(Attribute.NextHopAttribute.class).getNextHop()).orElse(null);
        } else if (a.is(Attribute.MpReachNLRIAttribute.class)) {
          List<String> hops = a.unpack(Attribute.MpReachNLRIAttribute.class).getNextHopsList();
          nextHop = hops.isEmpty() ? null : Addresses.parseLiteral(hops.getFirst()).orElse(null);
        } else if (a.is(Attribute.MultiExitDiscAttribute.class)) {
          med = OptionalLong.of(Integer.toUnsignedLong(a.unpack(Attribute.MultiExitDiscAttribute.class).getMed()));
        } else if (a.is(Attribute.LocalPrefAttribute.class)) {
          localPref = OptionalLong.of(
              Integer.toUnsignedLong(a.unpack(Attribute.LocalPrefAttribute.class).getLocalPref()));
        } else if (a.is(Attribute.CommunitiesAttribute.class)) {
          for (int c : a.unpack(Attribute.CommunitiesAttribute.class).getCommunitiesList()) {
            communities.add(Community.fromUint32(Integer.toUnsignedLong(c)));
          }
        } else if (a.is(Attribute.LargeCommunitiesAttribute.class)) {
          for (Attribute.LargeCommunity l : a.unpack(Attribute.LargeCommunitiesAttribute.class).getCommunitiesList()) {
            large.add(new LargeCommunity(Integer.toUnsignedLong(l.getGlobalAdmin()),
                Integer.toUnsignedLong(l.getLocalData1()), Integer.toUnsignedLong(l.getLocalData2())));
          }
        }
      }
      if (nextHop == null || prefix.isIpv4() != nextHop instanceof java.net.Inet4Address) {
        return Optional.empty();
      }
      return Optional.of(new Route(prefix, nextHop, med, localPref, communities, large));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
