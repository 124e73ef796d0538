package org.example.lb.lab.topology;

/** What a node is for; decides its kernel settings and the services the lab starts on it. */
public enum Role {
  /** Holds the client address ranges; sends the test traffic. */
  CLIENT,
  /** Forwards packets; multipath routes hash on the 5-tuple (fib_multipath_hash_policy=3, custom fields). */
  ROUTER,
  /** A gobgpd route reflector between the announcing nodes and the routers. */
  REFLECTOR,
  /** l4-director: VIP routes into its TUN device, IPIP / IP6IP6 to the L7 nodes (forwards: the VIPs are not local). */
  L4,
  /** HAProxy, l7-agent and the tunnel endpoint; the VIPs live on its lo. */
  L7,
  /** nginx (PROXY protocol) and the l7-agent agent-check server. */
  SERVER,
  /** dns-tier and a bgp-speaker announcing the DNS service's anycast address. */
  DNS;

  public boolean forwards() {
    return this == ROUTER || this == L4;
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
