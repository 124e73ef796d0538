package org.example.lb.bgp.speaker;

import static org.example.lb.common.config.Validation.invalid;
import static org.example.lb.common.config.Validation.nonBlank;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.example.lb.bgp.gobgp.Community;
import org.example.lb.bgp.gobgp.LargeCommunity;
import org.example.lb.bgp.gobgp.Prefix;
import org.example.lb.bgp.health.HealthSettings;
import org.example.lb.bgp.health.Hooks;
import org.example.lb.common.config.Validation;

/**
 * The bgp-speaker configuration of one node (YAML, read by {@link org.example.lb.common.config.ConfigLoader}; the
 * loader prefixes nested fields with their path and reports the line).
 *
 * @param node this node's name (status, logs, hooks' environment)
 * @param gobgpd where the local gobgpd's gRPC API listens
 * @param bgp the BGP speaker gobgpd runs: AS, router id, peers
 * @param announce what is announced while healthy
 * @param health when the service counts as healthy (ExaBGP healthcheck semantics)
 * @param admin the local admin endpoint (metrics, status)
 */
public record SpeakerConfig(
    String node, Gobgpd gobgpd, Bgp bgp, Announce announce, Health health, Admin admin) {

  public SpeakerConfig {
    nonBlank("node", node);
    gobgpd = gobgpd == null ? new Gobgpd(null, null) : gobgpd;
    bgp = Validation.required("bgp", bgp);
    announce = Validation.required("announce", announce);
    health = Validation.required("health", health);
    try {
      health.settings(announce.med());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("health." + e.getMessage(), e); // med + increase too large
    }
    admin = admin == null ? new Admin(0) : admin;
    List<Prefix> prefixes = announce.parsedPrefixes();
    for (int i = 0; i < prefixes.size(); i++) {
      boolean v4 = prefixes.get(i).isIpv4();
      if (v4 && announce.nextHop().ipv4().isEmpty() || !v4 && announce.nextHop().ipv6().isEmpty()) {
        throw invalid("announce.prefixes[" + i + "]", prefixes.get(i),
            "a prefix of a family with a next hop (announce.nextHop." + (v4 ? "ipv4" : "ipv6") + ")");
      }
    }
  }

  /**
   * @param address host:port of gobgpd's API; default {@code 127.0.0.1:50051}
   * @param timeout deadline of each API call; default 5s
   */
  public record Gobgpd(String address, Duration timeout) {
    public Gobgpd {
      address = address == null ? "127.0.0.1:50051" : address;
      int colon = address.lastIndexOf(':');
      if (colon <= 0 || !address.substring(colon + 1).matches("\\d{1,5}")) {
        throw invalid("address", address, "HOST:PORT of gobgpd's gRPC API, e.g. 127.0.0.1:50051");
      }
      Validation.port("address", Integer.parseInt(address.substring(colon + 1)));
      timeout = timeout == null ? Duration.ofSeconds(5) : Validation.positive("timeout", timeout);
    }

    public String host() {
      String host = address.substring(0, address.lastIndexOf(':'));
      return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    public int port() {
      return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
  }

  /**
   * @param asn this speaker's AS number (1..4294967295)
   * @param routerId the BGP identifier, an IPv4 address
   * @param listenPort the port gobgpd accepts sessions on; default -1: it does not listen, it connects out
   * @param peers the route reflectors (at least one)
   */
  public record Bgp(long asn, String routerId, int listenPort, List<Peer> peers) {
    public Bgp {
      checkAsn(asn, "asn");
      if (!(Validation.ipLiteral("routerId", routerId) instanceof Inet4Address)) {
        throw invalid("routerId", routerId, "an IPv4 address");
      }
      listenPort = listenPort == 0 ? -1 : listenPort;
      if (listenPort != -1) {
        Validation.port("listenPort", listenPort);
      }
      if (peers == null || peers.isEmpty()) {
        throw invalid("peers", peers, "a non-empty list of peers ({address, asn})");
      }
      peers = List.copyOf(peers);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < peers.size(); i++) {
        if (!seen.add(peers.get(i).ip().getHostAddress())) {
          throw invalid("peers[" + i + "].address", peers.get(i).address(), "each peer once");
        }
      }
    }
  }

  static long checkAsn(long asn, String field) {
    if (asn < 1 || asn > 4_294_967_295L) {
      throw invalid(field, asn, "an AS number 1..4294967295");
    }
    return asn;
  }

  /**
   * A BGP neighbour; both ipv4-unicast and ipv6-unicast are negotiated with it (RFC 4760).
   *
   * @param address its IPv4 or IPv6 address
   * @param asn its AS number
   * @param holdTime default 9s (3s..65535s; GoBGP's minimum is 3s)
   * @param keepalive default a third of the hold time
   * @param connectRetry how long gobgpd waits before connecting again after a failed attempt; default 5s (GoBGP's
   *     minimum)
   * @param password the TCP MD5 signature password (RFC 2385), if the peer requires one
   * @param port its BGP port; default 179
   */
  public record Peer(String address, long asn, Duration holdTime, Duration keepalive, Duration connectRetry,
      Optional<String> password, int port) {
    public Peer {
      Validation.ipLiteral("address", address);
      checkAsn(asn, "asn");
      holdTime = holdTime == null ? Duration.ofSeconds(9) : holdTime;
      if (holdTime.toMillis() % 1000 != 0 || holdTime.toSeconds() < 3 || holdTime.toSeconds() > 65535) {
        throw invalid("holdTime", holdTime, "whole seconds, 3s..65535s");
      }
      keepalive = keepalive == null ? Duration.ofSeconds(Math.max(1, holdTime.toSeconds() / 3)) : keepalive;
      if (keepalive.toMillis() % 1000 != 0 || keepalive.toSeconds() < 1
          || keepalive.compareTo(holdTime) >= 0) {
        throw invalid("keepalive", keepalive, "whole seconds, at least 1s and less than holdTime (" + holdTime + ")");
      }
      connectRetry = connectRetry == null ? Duration.ofSeconds(5) : connectRetry;
      if (connectRetry.toMillis() % 1000 != 0 || connectRetry.toSeconds() < 5 || connectRetry.toSeconds() > 65535) {
        throw invalid("connectRetry", connectRetry, "whole seconds, 5s..65535s (GoBGP's minimum is 5s)");
      }
      password = password == null ? Optional.empty() : password;
      port = port == 0 ? 179 : Validation.port("port", port);
    }

    public InetAddress ip() {
      return Validation.ipLiteral("address", address);
    }
  }

  /**
   * What is announced.
   *
   * @param prefixes the service prefixes (e.g. the VIPs as /32 and /128)
   * @param nextHop this node's addresses, the next hop of each family ("next hop self")
   * @param med the MULTI_EXIT_DISC while UP; default 100 (ExaBGP's default); DOWN adds {@code health.increase}
   * @param localPreference LOCAL_PREF, if set
   * @param communities standard communities {@code ASN:VALUE} (RFC 1997)
   * @param largeCommunities large communities {@code GLOBAL:LOCAL1:LOCAL2} (RFC 8092)
   */
  public record Announce(List<String> prefixes, NextHop nextHop, Long med, Optional<Long> localPreference,
      List<String> communities, List<String> largeCommunities) {
    public Announce {
      if (prefixes == null || prefixes.isEmpty()) {
        throw invalid("prefixes", prefixes, "a non-empty list of prefixes, e.g. [198.51.100.1/32]");
      }
      prefixes = List.copyOf(prefixes);
      Set<Prefix> seen = new HashSet<>();
      for (int i = 0; i < prefixes.size(); i++) {
        if (!seen.add(parsePrefix("prefixes[" + i + "]", prefixes.get(i)))) {
          throw invalid("prefixes[" + i + "]", prefixes.get(i), "each prefix once");
        }
      }
      nextHop = Validation.required("nextHop", nextHop);
      med = med == null ? HealthSettings.DEFAULT_MED : med;
      if (med < 0 || med > 4_294_967_295L) {
        throw invalid("med", med, "0..4294967295");
      }
      localPreference = localPreference == null ? Optional.empty() : localPreference;
      localPreference.ifPresent(l -> {
        if (l < 0 || l > 4_294_967_295L) {
          throw invalid("localPreference", l, "0..4294967295");
        }
      });
      communities = communities == null ? List.of() : List.copyOf(communities);
      for (int i = 0; i < communities.size(); i++) {
        parsed("communities[" + i + "]", communities.get(i), Community::parse);
      }
      largeCommunities = largeCommunities == null ? List.of() : List.copyOf(largeCommunities);
      for (int i = 0; i < largeCommunities.size(); i++) {
        parsed("largeCommunities[" + i + "]", largeCommunities.get(i), LargeCommunity::parse);
      }
    }

    /** The prefixes, parsed. */
    public List<Prefix> parsedPrefixes() {
      List<Prefix> out = new ArrayList<>();
      for (int i = 0; i < prefixes.size(); i++) {
        out.add(parsePrefix("prefixes[" + i + "]", prefixes.get(i)));
      }
      return out;
    }
  }

  /** Parses a prefix; a bare address is a host prefix (/32, /128). */
  static Prefix parsePrefix(String field, String text) {
    return parsed(field, text, Prefix::parse);
  }

  /** Parses {@code text} with a parser whose exception message says what was expected, prefixing the field. */
  private static <T> T parsed(String field, String text, Function<String, T> parser) {
    nonBlank(field, text);
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param ipv4 the next hop of IPv4 prefixes: this node's address towards the peers' networks
   * @param ipv6 the next hop of IPv6 prefixes (carried in MP_REACH_NLRI, RFC 4760)
   */
  public record NextHop(Optional<String> ipv4, Optional<String> ipv6) {
    public NextHop {
      ipv4 = ipv4 == null ? Optional.empty() : ipv4;
      ipv6 = ipv6 == null ? Optional.empty() : ipv6;
      ipv4.ifPresent(a -> {
        if (!(Validation.ipLiteral("ipv4", a) instanceof Inet4Address)) {
          throw invalid("ipv4", a, "an IPv4 address");
        }
      });
      ipv6.ifPresent(a -> {
        if (Validation.ipLiteral("ipv6", a) instanceof Inet4Address) {
          throw invalid("ipv6", a, "an IPv6 address");
        }
      });
    }
  }

  /**
   * When the service counts as healthy and what DOWN does, with ExaBGP healthcheck's semantics
   * ({@link HealthSettings} documents each field and its default: interval 5s, fastInterval 1s, timeout 5s, rise 3,
   * fall 3, disableFile /etc/lb/disable, withdrawOnDown false, increase 900).
   *
   * @param director the local l4-director's status URL: healthy while it is serving with its quorum up
   * @param command a command: healthy while it exits 0 (ExaBGP's {@code --cmd}); it is killed at {@code timeout}
   * @param url an HTTP URL (host as an IP literal): healthy while it answers 2xx
   * @param hooks shell commands run on state changes with {@code STATE} in the environment
   */
  public record Health(Optional<URI> director, Optional<List<String>> command, Optional<URI> url, Duration interval,
      Duration fastInterval, Duration timeout, int rise, int fall, Path disableFile, boolean withdrawOnDown,
      Long increase, Hooks hooks) {
    public Health {
      director = director == null ? Optional.empty() : director;
      command = command == null ? Optional.empty() : command.map(List::copyOf);
      url = url == null ? Optional.empty() : url;
      int sources = (director.isPresent() ? 1 : 0) + (command.isPresent() ? 1 : 0) + (url.isPresent() ? 1 : 0);
      if (sources != 1) {
        throw invalid("health", sources + " sources", "exactly one of director, command, url");
      }
      command.ifPresent(c -> {
        if (c.isEmpty() || c.getFirst().isBlank()) {
          throw invalid("command", c, "a program and its arguments, e.g. [/usr/local/bin/check, --quick]");
        }
      });
      director.ifPresent(u -> httpUrl("director", u));
      url.ifPresent(u -> httpUrl("url", u));
      hooks = hooks == null ? Hooks.none() : hooks;
      settings(null); // validates the check settings, with their own field names
    }

    /** The check's settings; {@code med} is the MED announced while UP (null: the default, 100). */
    public HealthSettings settings(Long med) {
      return new HealthSettings(interval, fastInterval, timeout, rise, fall, disableFile, withdrawOnDown, med,
          increase, hooks);
    }

    private static void httpUrl(String field, URI u) {
      if (!"http".equals(u.getScheme()) || u.getHost() == null) {
        throw invalid(field, u, "an http:// URL");
      }
    }
  }

  /** @param port the admin endpoint's port on 127.0.0.1; default 9400 */
  public record Admin(int port) {
    public Admin {
      port = port == 0 ? 9400 : Validation.port("port", port);
    }
  }
}
