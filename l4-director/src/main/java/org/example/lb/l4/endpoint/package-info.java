/**
 * The tunnel endpoint on each LB7 ({@code l4-director tunnel-endpoint}): the kernel's ipip / ip6_tunnel modules'
 * role in userspace, since the kernels this stack runs on have neither.
 *
 * <p>Raw sockets receive the four tunnel kinds the directors send to the LB7's infrastructure address: IPv4 outer
 * with protocol 4 (IPv4-in-IPv4) and 41 (IPv6-in-IPv4), IPv6 outer with next header 41 (IPv6-in-IPv6) and 4
 * (IPv4-in-IPv6). The {@link org.example.lb.l4.tunnel.Decapsulator} strips the outer header (IPv6 raw sockets
 * deliver only the payload) and accepts an inner packet only if its destination is one of the LB7's VIPs and, when
 * {@code directors} is configured, its outer source is a director; everything else is a counted drop per
 * {@link org.example.lb.l4.packet.Verdict}. Accepted packets are written to a TUN device, so the kernel delivers
 * them to HAProxy listening on the VIPs (on lo); replies go straight to the client (direct server return).
 *
 * <p>Findings on this project's kernel (6.18, no ipip, no tunnel4, no ip6_tunnel; EndpointNodeTest):
 * <ul>
 *   <li>ICMP: while a raw socket of the protocol is open, the kernel sends no ICMP protocol-unreachable (IPv4) or
 *       parameter-problem / unknown next header (IPv6) for tunnel packets; without one it does. Nothing to filter
 *       while the endpoint runs; when it is stopped the directors get those errors (harmless).</li>
 *   <li>Reverse-path filtering: decapsulated packets arrive on the TUN with the client's source. The effective
 *       value is max(conf.all, conf.&lt;tun&gt;); on a device without an IPv4 address only 0 lets them in (strict
 *       and loose both drop, loose passes once the device has any IPv4 address). See {@link
 *       org.example.lb.l4.endpoint.EndpointConfig#relaxReversePathFilter()}.</li>
 * </ul>
 */
package org.example.lb.l4.endpoint;
