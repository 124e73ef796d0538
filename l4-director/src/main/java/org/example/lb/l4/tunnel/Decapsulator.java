package org.example.lb.l4.tunnel;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import org.example.lb.l4.packet.Checksums;
import org.example.lb.l4.packet.NetworkOrder;
import org.example.lb.l4.packet.PacketView;
import org.example.lb.l4.packet.Verdict;

/**
 * The LB7 side of the tunnel: strips the outer header, validates the inner packet and accepts it only if its
 * destination is one of the {@link VipSet VIPs}. One instance per receiving thread; never allocates or throws per
 * packet.
 *
 * <p>Linux raw sockets differ by family: an IPv4 raw socket for protocol 4 delivers the outer IPv4 header
 * ({@link #decapsulateIpv4}); an IPv6 raw socket for next header 41 delivers only the payload
 * ({@link #decapsulateIpv6Payload}, with the socket's protocol and, if IPV6_RECVTCLASS is on, the outer traffic
 * class, and recvfrom's source address). {@link #decapsulateIpv6} takes a whole IPv6 packet (e.g. from a TUN
 * device). The outer source must be one of the configured directors ({@link Verdict#UNKNOWN_TUNNEL_SOURCE}).
 *
 * <p>ECN is combined per RFC 6040 section 4.2 (the inner header is rewritten in place, with an RFC 1624 checksum
 * update for IPv4): outer CE over inner ECT becomes CE, outer ECT(1) over inner ECT(0) becomes ECT(1), outer CE over
 * inner Not-ECT is dropped ({@link Verdict#ECN_CE_NOT_ECT}). The inner view's {@link PacketView#trafficClass()}
 * reports the value before this rewrite. Inner TTL / hop limit are not checked (local delivery).
 */
public final class Decapsulator {
    /** Outer traffic class argument meaning "not known": no ECN combination. */
    public static final int UNKNOWN_TRAFFIC_CLASS = -1;

    private final VipSet vips;
    private final VipSet directors;
    private final boolean anyDirector;
    private final PacketView outer = PacketView.forDelivery();
    private final PacketView inner = PacketView.forDelivery();
    private int innerStart;
    private int innerLength;

    private Decapsulator(VipSet vips, Optional<VipSet> directors) {
        this.vips = Objects.requireNonNull(vips, "vips");
        this.anyDirector = directors.isEmpty();
        this.directors = directors.orElse(vips);
    }

    /**
     * A decapsulator accepting inner packets to {@code vips}, tunnelled from one of {@code directors} (outer source
     * addresses; empty: from any source, for labs only, since anyone who can reach the LB7 could then inject packets
     * with forged inner sources).
     */
    public static Decapsulator create(VipSet vips, Optional<VipSet> directors) {
        return new Decapsulator(vips, directors);
    }

    /** Decapsulates a whole outer IPv4 packet at {@code buf[off, off+len)}; returns a {@link Verdict} code. */
    public int decapsulateIpv4(ByteBuffer buf, int off, int len) {
        int verdict = outer.parse(buf, off, len);
        if (verdict != Verdict.OK.code()) {
            return verdict;
        }
        if (outer.version() != 4) {
            return Verdict.BAD_VERSION.code();
        }
        return decapsulateOuter(buf, off);
    }

    /** Decapsulates a whole outer IPv6 packet (extension headers allowed); returns a {@link Verdict} code. */
    public int decapsulateIpv6(ByteBuffer buf, int off, int len) {
        int verdict = outer.parse(buf, off, len);
        if (verdict != Verdict.OK.code()) {
            return verdict;
        }
        if (outer.version() != 6) {
            return Verdict.BAD_VERSION.code();
        }
        return decapsulateOuter(buf, off);
    }

    private int decapsulateOuter(ByteBuffer buf, int off) {
        int protocol = outer.protocol();
        if (protocol != PacketView.PROTO_IPV4 && protocol != PacketView.PROTO_IPV6) {
            return Verdict.NOT_TUNNEL.code();
        }
        if (!anyDirector && !directors.contains(outer.sourceHigh(), outer.sourceLow())) {
            return Verdict.UNKNOWN_TUNNEL_SOURCE.code();
        }
        return decapsulatePayload(buf, off + outer.headerLength(), outer.totalLength() - outer.headerLength(),
                outer.protocol(), outer.trafficClass());
    }

    /**
     * Decapsulates the payload of an outer IPv6 packet as an IPv6 raw socket delivers it.
     *
     * @param protocol the outer next header (the raw socket's protocol): 4 or 41, else {@link Verdict#NOT_TUNNEL}
     * @param outerTrafficClass the outer traffic class, or {@link #UNKNOWN_TRAFFIC_CLASS}
     * @param outerSourceHigh high 64 bits of the outer source (recvfrom's address)
     * @param outerSourceLow low 64 bits of the outer source
     * @return a {@link Verdict} code
     */
    public int decapsulateIpv6Payload(ByteBuffer buf, int off, int len, int protocol, int outerTrafficClass,
            long outerSourceHigh, long outerSourceLow) {
        if (!anyDirector && !directors.contains(outerSourceHigh, outerSourceLow)) {
            return Verdict.UNKNOWN_TUNNEL_SOURCE.code();
        }
        return decapsulatePayload(buf, off, len, protocol, outerTrafficClass);
    }

    private int decapsulatePayload(ByteBuffer buf, int off, int len, int protocol, int outerTrafficClass) {
        int expectedVersion;
        if (protocol == PacketView.PROTO_IPV4) {
            expectedVersion = 4;
        } else if (protocol == PacketView.PROTO_IPV6) {
            expectedVersion = 6;
        } else {
            return Verdict.NOT_TUNNEL.code();
        }
        if (off >= 0 && len >= 1 && off <= buf.limit() - len) {
            int version = NetworkOrder.u8(buf, off) >>> 4;
            if ((version == 4 || version == 6) && version != expectedVersion) {
                return Verdict.INNER_VERSION_MISMATCH.code();
            }
        }
        int verdict = inner.parse(buf, off, len);
        if (verdict != Verdict.OK.code()) {
            return verdict;
        }
        if (!vips.containsDestination(inner)) {
            return Verdict.UNKNOWN_VIP.code();
        }
        if (outerTrafficClass >= 0) {
            verdict = combineEcn(buf, off, outerTrafficClass & 3);
            if (verdict != Verdict.OK.code()) {
                return verdict;
            }
        }
        innerStart = off;
        innerLength = inner.totalLength();
        return Verdict.OK.code();
    }

    private int combineEcn(ByteBuffer buf, int off, int outerEcn) {
        int tc = inner.trafficClass();
        int innerEcn = tc & 3;
        int ecn;
        if (outerEcn == 3) {
            if (innerEcn == 0) {
                return Verdict.ECN_CE_NOT_ECT.code();
            }
            ecn = 3;
        } else if (outerEcn == 1 && innerEcn == 2) {
            ecn = 1;
        } else {
            return Verdict.OK.code();
        }
        if (ecn == innerEcn) {
            return Verdict.OK.code();
        }
        int newTc = (tc & 0xfc) | ecn;
        if (inner.version() == 4) {
            int oldWord = NetworkOrder.u16(buf, off);
            NetworkOrder.put8(buf, off + 1, newTc);
            int newWord = NetworkOrder.u16(buf, off);
            NetworkOrder.put16(buf, off + 10, Checksums.update16(NetworkOrder.u16(buf, off + 10), oldWord, newWord));
        } else {
            int first = NetworkOrder.u16(buf, off);
            NetworkOrder.put16(buf, off, (first & 0xf00f) | newTc << 4);
        }
        return Verdict.OK.code();
    }

    /** Offset of the inner packet after {@link Verdict#OK}. */
    public int innerStart() {
        return innerStart;
    }

    /** Length of the inner packet (its total length) after {@link Verdict#OK}. */
    public int innerLength() {
        return innerLength;
    }

    /** The inner packet's view after {@link Verdict#OK} (also after inner-packet drop verdicts, for diagnostics). */
    public PacketView inner() {
        return inner;
    }
}
