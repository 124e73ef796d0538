package org.example.lb.bgp.gobgp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.example.lb.common.config.Addresses;

/**
 * A unicast route this node originates: a prefix, its next hop and the attributes the speaker sets. ORIGIN is always
 * IGP and AS_PATH empty (the routes are originated inside the AS). Communities are kept sorted, so two routes with the
 * same attributes are equal however they were built.
 *
 * @param prefix the prefix
 * @param nextHop its next hop, of the prefix's family (IPv6: carried in MP_REACH_NLRI, RFC 4760 §3)
 * @param med MULTI_EXIT_DISC (RFC 4271 §5.1.4), if set
 * @param localPref LOCAL_PREF (RFC 4271 §5.1.5), if set
 * @param communities standard communities (RFC 1997)
 * @param largeCommunities large communities (RFC 8092)
 */
public record Route(Prefix prefix, InetAddress nextHop, OptionalLong med, OptionalLong localPref,
    List<Community> communities, List<LargeCommunity> largeCommunities) {
  private static final long MAX_UINT32 = 0xFFFF_FFFFL;

  public Route {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(nextHop, "nextHop");
    if (prefix.isIpv4() != nextHop instanceof Inet4Address) {
      throw new IllegalArgumentException("nextHop: " + Addresses.toText(nextHop) + " (expected: an address of "
          + prefix + "'s family)");
    }
    uint32("med", med);
    uint32("localPref", localPref);
    communities = communities.stream().distinct().sorted().toList();
    largeCommunities = largeCommunities.stream().distinct().sorted().toList();
  }

  /** A route with no MED, LOCAL_PREF or communities. */
  public static Route of(Prefix prefix, InetAddress nextHop) {
    return new Route(prefix, nextHop, OptionalLong.empty(), OptionalLong.empty(), List.of(), List.of());
  }

  public Route withMed(long med) {
    return new Route(prefix, nextHop, OptionalLong.of(med), localPref, communities, largeCommunities);
  }

  public Route withLocalPref(long localPref) {
    return new Route(prefix, nextHop, med, OptionalLong.of(localPref), communities, largeCommunities);
  }

  /** Adds communities given as {@code ASN:VALUE}. @throws IllegalArgumentException for a malformed one */
  public Route withCommunities(String... communities) {
    List<Community> all = Stream.concat(this.communities.stream(), Arrays.stream(communities).map(Community::parse))
        .toList();
    return new Route(prefix, nextHop, med, localPref, all, largeCommunities);
  }

  /** Adds large communities given as {@code GLOBAL:LOCAL1:LOCAL2}. @throws IllegalArgumentException if malformed */
  public Route withLargeCommunities(String... largeCommunities) {
    List<LargeCommunity> all = Stream.concat(this.largeCommunities.stream(),
        Arrays.stream(largeCommunities).map(LargeCommunity::parse)).toList();
    return new Route(prefix, nextHop, med, localPref, communities, all);
  }

  private static void uint32(String field, OptionalLong v) {
    if (v.isPresent() && (v.getAsLong() < 0 || v.getAsLong() > MAX_UINT32)) {
      throw new IllegalArgumentException(field + ": " + v.getAsLong() + " (expected: 0..4294967295)");
    }
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(prefix.toString()).append(" via ").append(Addresses.toText(nextHop));
    med.ifPresent(m -> s.append(" med ").append(m));
    localPref.ifPresent(l -> s.append(" local-pref ").append(l));
    if (!communities.isEmpty()) {
      s.append(" communities ").append(communities);
    }
    if (!largeCommunities.isEmpty()) {
      s.append(" large-communities ").append(largeCommunities);
    }
    return s.toString();
  }
}
