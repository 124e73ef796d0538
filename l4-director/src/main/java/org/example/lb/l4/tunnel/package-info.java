/**
 * IPIP (RFC 2003) and IP6IP6 (RFC 2473) tunnels between the director and the LB7s, on the packet path: no
 * allocation, no exceptions, no logging per packet; results are {@link org.example.lb.l4.packet.Verdict} codes.
 *
 * <p>Director side: read each packet from the TUN device at offset {@link
 * org.example.lb.l4.tunnel.Encapsulator#HEADROOM} of a reused direct buffer, parse it with a forwarding {@link
 * org.example.lb.l4.packet.PacketView}, pick the LB7 ({@link org.example.lb.l4.tunnel.TunnelEndpoint}) and call
 * {@link org.example.lb.l4.tunnel.Encapsulator#encapsulate}: the outer header is written into the headroom, so the
 * packet is never copied. On {@code TOO_BIG}, {@link org.example.lb.l4.tunnel.IcmpTooBig} builds the ICMP / ICMPv6
 * error for the client.
 *
 * <p>LB7 side: {@link org.example.lb.l4.tunnel.Decapsulator} strips the outer header (IPv4 raw sockets deliver it,
 * IPv6 raw sockets do not), validates the inner packet, combines ECN (RFC 6040) and accepts only destinations in the
 * {@link org.example.lb.l4.tunnel.VipSet}.
 */
package org.example.lb.l4.tunnel;
