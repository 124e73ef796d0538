package org.example.lb.l4.forward;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.example.lb.common.config.Validation;
import org.example.lb.l4.flow.FlowTable;

/**
 * A worker's settings (the same for every worker of a director).
 *
 * @param flowCapacity flows per worker (default 262144, about 20 MB), 1 to 16777216; the least recently seen flow
 *     is evicted when full
 * @param tcpIdle idle timeout of a TCP flow (default 900 s)
 * @param tcpClosingIdle idle timeout of a TCP flow after a client FIN or RST (default 120 s)
 * @param udpIdle idle timeout of a UDP flow (default 30 s)
 * @param tunnelMtu the MTU towards the LB7s, outer header included (default 1500), 576 to 65535; a packet that does
 *     not fit once encapsulated is dropped ({@code TOO_BIG}) and answered with an ICMP / ICMPv6 Packet Too Big
 * @param ipv4Source the director's IPv4 tunnel source; without it nothing is tunnelled over IPv4
 * @param ipv6Source the director's IPv6 tunnel source; without it nothing is tunnelled over IPv6
 * @param icmpPerSecond Packet Too Big replies per second and worker (default 100; 0 = none), 0 to 1000000
 */
public record WorkerSettings(int flowCapacity, Duration tcpIdle, Duration tcpClosingIdle, Duration udpIdle,
    int tunnelMtu, Optional<InetAddress> ipv4Source, Optional<InetAddress> ipv6Source, int icmpPerSecond) {
  public static final int DEFAULT_FLOW_CAPACITY = 1 << 18;
  public static final Duration DEFAULT_TCP_IDLE = Duration.ofSeconds(900);
  public static final Duration DEFAULT_TCP_CLOSING_IDLE = Duration.ofSeconds(120);
  public static final Duration DEFAULT_UDP_IDLE = Duration.ofSeconds(30);
  public static final int DEFAULT_TUNNEL_MTU = 1500;
  public static final int DEFAULT_ICMP_PER_SECOND = 100;

  public WorkerSettings {
    Validation.range("flowCapacity", flowCapacity, 1, FlowTable.MAX_CAPACITY);
    Validation.positive("tcpIdle", tcpIdle);
    Validation.positive("tcpClosingIdle", tcpClosingIdle);
    Validation.positive("udpIdle", udpIdle);
    Validation.range("tunnelMtu", tunnelMtu, 576, 65535);
    Validation.required("ipv4Source", ipv4Source);
    Validation.required("ipv6Source", ipv6Source);
    ipv4Source.filter(a -> !(a instanceof Inet4Address)).ifPresent(a -> {
      throw Validation.invalid("ipv4Source", a.getHostAddress(), "an IPv4 address");
    });
    ipv6Source.filter(a -> !(a instanceof Inet6Address)).ifPresent(a -> {
      throw Validation.invalid("ipv6Source", a.getHostAddress(), "an IPv6 address");
    });
    Validation.range("icmpPerSecond", icmpPerSecond, 0, 1_000_000);
  }

  /** The defaults, without tunnel sources (set them with {@link #withSources}). */
  public static WorkerSettings defaults() {
    return new WorkerSettings(DEFAULT_FLOW_CAPACITY, DEFAULT_TCP_IDLE, DEFAULT_TCP_CLOSING_IDLE, DEFAULT_UDP_IDLE,
        DEFAULT_TUNNEL_MTU, Optional.empty(), Optional.empty(), DEFAULT_ICMP_PER_SECOND);
  }

  /** These settings with the given tunnel sources. */
  public WorkerSettings withSources(Optional<InetAddress> ipv4, Optional<InetAddress> ipv6) {
    return new WorkerSettings(flowCapacity, tcpIdle, tcpClosingIdle, udpIdle, tunnelMtu, ipv4, ipv6, icmpPerSecond);
  }
}
