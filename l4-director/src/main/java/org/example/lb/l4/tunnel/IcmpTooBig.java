package org.example.lb.l4.tunnel;

import java.nio.ByteBuffer;
import org.example.lb.l4.packet.Checksums;
import org.example.lb.l4.packet.NetworkOrder;
import org.example.lb.l4.packet.PacketView;

/**
 * Builds the answer to a packet the {@link Encapsulator} refused with {@code TOO_BIG}: ICMPv4 Destination
 * Unreachable / Fragmentation Needed (type 3 code 4, RFC 792 and RFC 1191 next-hop MTU) or ICMPv6 Packet Too Big
 * (type 2, RFC 4443). Allocation-free; writes into a caller's (reused) output buffer.
 *
 * <p>The error is addressed to the offending packet's source and sent <em>from its destination</em> (the VIP), as
 * Katran does: clients and their firewalls expect traffic from the VIP, and the director has no address of its own
 * on the client's path. The advertised MTU is the egress MTU minus the outer header (at least 68 for IPv4, at least
 * 1280 for IPv6, as the RFCs require). The quote is the invoking packet's head: for ICMPv4 as much as keeps the
 * error within 576 bytes (RFC 1812 4.3.2.3; at least the IP header plus 8 bytes as RFC 792 requires), for ICMPv6
 * as much as keeps it within 1280 bytes (RFC 4443 2.4(c)). Callers must rate-limit the replies (RFC 4443 2.4(f)).
 *
 * <p>No error is built (length 0) in answer to an ICMP error message or an IPv6 ICMP error, to a packet whose
 * source is unspecified, multicast or broadcast, or when the output region is too small (RFC 1122 3.2.2,
 * RFC 4443 2.4(e)).
 */
public final class IcmpTooBig {
    /** Largest ICMPv4 error this builder writes (RFC 1812). */
    public static final int MAX_IPV4_ERROR = 576;
    /** Largest ICMPv6 error this builder writes (IPv6 minimum MTU). */
    public static final int MAX_IPV6_ERROR = 1280;

    private IcmpTooBig() {
    }

    /**
     * Writes the error for {@code offending} (parsed from {@code in}) into {@code out} at {@code outOff}.
     *
     * @param tunnelMtu the egress MTU including the outer header
     * @param outerHeaderLength the outer header that did not fit: 20 (IPv4) or 40 (IPv6)
     * @return the number of bytes written, or 0 if no error must be sent
     */
    public static int write(ByteBuffer in, PacketView offending, int tunnelMtu, int outerHeaderLength,
            ByteBuffer out, int outOff) {
        int version = offending.version();
        int start = offending.start();
        int total = offending.totalLength();
        if (version != 4 && version != 6 || total == 0 || start < 0 || start + total > in.limit() || outOff < 0) {
            return 0;
        }
        int mtu = tunnelMtu - outerHeaderLength;
        if (version == 4) {
            return writeIpv4(in, offending, Math.max(68, mtu), out, outOff);
        }
        return writeIpv6(in, offending, Math.max(1280, mtu), out, outOff);
    }

    private static boolean isIcmpError(ByteBuffer in, PacketView p, int icmpProtocol) {
        if (p.protocol() != icmpProtocol) {
            return false;
        }
        if (p.fragment() == PacketView.LATER_FRAGMENT || p.totalLength() <= p.headerLength()) {
            return true; // the type is not visible: stay silent
        }
        int type = NetworkOrder.u8(in, p.start() + p.headerLength());
        if (icmpProtocol == 1) {
            return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
        }
        return type < 128;
    }

    private static int writeIpv4(ByteBuffer in, PacketView p, int mtu, ByteBuffer out, int o) {
        int src = p.ipv4Source();
        if (isIcmpError(in, p, 1) || src == 0 || src == -1 || (src & 0xf000_0000) == 0xe000_0000) {
            return 0;
        }
        int quote = Math.min(p.totalLength(), MAX_IPV4_ERROR - 28);
        int length = 28 + quote;
        if (o > out.limit() - length) {
            return 0;
        }
        NetworkOrder.put8(out, o, 0x45);
        NetworkOrder.put8(out, o + 1, 0xc0); // internetwork control, like Linux's ICMP errors
        NetworkOrder.put16(out, o + 2, length);
        NetworkOrder.put32(out, o + 4, 0); // identification 0, no flags: an ICMP error may be fragmented
        NetworkOrder.put8(out, o + 8, Encapsulator.HOP_LIMIT);
        NetworkOrder.put8(out, o + 9, 1);
        NetworkOrder.put16(out, o + 10, 0);
        NetworkOrder.put32(out, o + 12, p.ipv4Destination());
        NetworkOrder.put32(out, o + 16, src);
        NetworkOrder.put16(out, o + 10, Checksums.ipv4Header(out, o, 20));
        int icmp = o + 20;
        NetworkOrder.put8(out, icmp, 3);
        NetworkOrder.put8(out, icmp + 1, 4);
        NetworkOrder.put16(out, icmp + 2, 0);
        NetworkOrder.put16(out, icmp + 4, 0);
        NetworkOrder.put16(out, icmp + 6, mtu);
        copy(in, p.start(), out, icmp + 8, quote);
        NetworkOrder.put16(out, icmp + 2, Checksums.finish(Checksums.sum(out, icmp, 8 + quote, 0)));
        return length;
    }

    private static int writeIpv6(ByteBuffer in, PacketView p, int mtu, ByteBuffer out, int o) {
        long srcHi = p.sourceHigh();
        long srcLo = p.sourceLow();
        if (isIcmpError(in, p, 58) || srcHi == 0 && srcLo == 0 || (srcHi >>> 56) == 0xff) {
            return 0;
        }
        int quote = Math.min(p.totalLength(), MAX_IPV6_ERROR - 48);
        int payload = 8 + quote;
        int length = 40 + payload;
        if (o > out.limit() - length) {
            return 0;
        }
        NetworkOrder.put32(out, o, 6 << 28);
        NetworkOrder.put16(out, o + 4, payload);
        NetworkOrder.put8(out, o + 6, 58);
        NetworkOrder.put8(out, o + 7, Encapsulator.HOP_LIMIT);
        NetworkOrder.put64(out, o + 8, p.destinationHigh());
        NetworkOrder.put64(out, o + 16, p.destinationLow());
        NetworkOrder.put64(out, o + 24, srcHi);
        NetworkOrder.put64(out, o + 32, srcLo);
        int icmp = o + 40;
        NetworkOrder.put8(out, icmp, 2);
        NetworkOrder.put8(out, icmp + 1, 0);
        NetworkOrder.put16(out, icmp + 2, 0);
        NetworkOrder.put32(out, icmp + 4, mtu);
        copy(in, p.start(), out, icmp + 8, quote);
        long sum = Checksums.sum(out, o + 8, 32, 0); // pseudo-header: source and destination
        sum += payload + 58;
        sum = Checksums.sum(out, icmp, payload, sum);
        NetworkOrder.put16(out, icmp + 2, Checksums.finish(sum));
        return length;
    }

    private static void copy(ByteBuffer in, int from, ByteBuffer out, int to, int length) {
        out.put(to, in, from, length);
    }
}
