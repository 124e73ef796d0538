package org.example.lb.bgp.gobgp;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;

/**
 * The BGP instance gobgpd runs ({@code StartBgp}).
 *
 * @param asn this node's AS (1..4294967295)
 * @param routerId the BGP identifier (RFC 4271 §4.2)
 * @param listenPort the port gobgpd accepts sessions on; -1: it only connects out (a speaker's peers dial nobody)
 * @param listenAddresses the addresses it listens on; empty: all
 */
public record GlobalSettings(long asn, Inet4Address routerId, int listenPort, List<String> listenAddresses) {
  public GlobalSettings {
    if (asn < 1 || asn > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("asn: " + asn + " (expected: 1..4294967295)");
    }
    Objects.requireNonNull(routerId, "routerId");
    if (listenPort < -1 || listenPort > 65535) {
      throw new IllegalArgumentException("listenPort: " + listenPort + " (expected: -1 or 0..65535)");
    }
    listenAddresses = List.copyOf(listenAddresses);
  }
}
