package org.example.lb.bgp.gobgp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One BGP neighbour gobgpd is to have, with IPv4 and IPv6 unicast enabled.
 *
 * @param neighborAddress its address
 * @param peerAsn its AS
 * @param holdTime the hold time offered in OPEN (RFC 4271 §4.2); whole seconds, at least 3
 * @param keepalive the keepalive interval; whole seconds, at least 1 and less than the hold time
 * @param connectRetry the ConnectRetryTimer (RFC 4271 §8.2.2); whole seconds
 * @param md5Password the TCP MD5 signature password (RFC 2385), if any
 * @param remotePort its port; empty: 179
 * @param localAddress the address to connect from; empty: the kernel chooses
 */
public record PeerSettings(InetAddress neighborAddress, long peerAsn, Duration holdTime, Duration keepalive,
    Duration connectRetry, Optional<String> md5Password, OptionalInt remotePort, Optional<InetAddress> localAddress) {
  public PeerSettings {
    Objects.requireNonNull(neighborAddress, "neighborAddress");
    if (peerAsn < 1 || peerAsn > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("peerAsn: " + peerAsn + " (expected: 1..4294967295)");
    }
    wholeSeconds("holdTime", holdTime, 3);
    wholeSeconds("keepalive", keepalive, 1);
    wholeSeconds("connectRetry", connectRetry, 1);
    if (keepalive.compareTo(holdTime) >= 0) {
      throw new IllegalArgumentException("keepalive: " + keepalive + " (expected: less than holdTime " + holdTime
          + ")");
    }
    Objects.requireNonNull(md5Password, "md5Password");
    Objects.requireNonNull(remotePort, "remotePort");
    Objects.requireNonNull(localAddress, "localAddress");
  }

  /** Defaults: hold time 9 s, keepalive 3 s, connect retry 5 s, no password, port 179. */
  public static PeerSettings of(InetAddress neighborAddress, long peerAsn) {
    return new PeerSettings(neighborAddress, peerAsn, Duration.ofSeconds(9), Duration.ofSeconds(3),
        Duration.ofSeconds(5), Optional.empty(), OptionalInt.empty(), Optional.empty());
  }

  private static void wholeSeconds(String field, Duration d, int min) {
    Objects.requireNonNull(d, field);
    if (d.toMillis() % 1000 != 0 || d.toSeconds() < min || d.toSeconds() > 65535) {
      throw new IllegalArgumentException(field + ": " + d + " (expected: whole seconds, " + min + "s..65535s)");
    }
  }
}
