/**
 * Allocation-free parsing and validation of raw IPv4 / IPv6 packets on the packet path.
 *
 * <p>{@link org.example.lb.l4.packet.PacketView} is a per-worker flyweight whose {@code parse(buf, off, len)} returns
 * a {@link org.example.lb.l4.packet.Verdict} code (never throws, never allocates); {@link
 * org.example.lb.l4.packet.DropCounters} counts verdicts per worker; {@link org.example.lb.l4.packet.Checksums}
 * computes and incrementally updates Internet checksums.
 *
 * <p><b>Fragments.</b> The director drops and counts every fragment ({@code FRAGMENT}), first and later alike, as
 * Katran does. Hashing non-first fragments by addresses only while hashing the rest of the flow by 5-tuple would send
 * one flow's packets to two LB7s; hashing every fragment by addresses would need the first fragment's ports to be
 * ignored too, splitting the same flow again. The LB7s terminate TCP, whose senders set DF and use PMTUD / MSS, so
 * fragments towards a VIP come from broken or hostile senders; QUIC (RFC 9000) forbids fragmentation. The view still
 * exposes addresses, protocol and fragment status after {@code FRAGMENT}, so a different policy (e.g. hashing all
 * fragments of a datagram by addresses to one LB7, which reassembles) can be added without re-parsing. IPv6 atomic
 * fragments (offset 0, M=0; RFC 6946) are not fragments. IPv4 options are accepted and skipped.
 */
package org.example.lb.l4.packet;
