package org.example.lb.l4.packet;

import java.nio.ByteBuffer;

/**
 * A reusable, mutable flyweight that validates one raw IP packet (no link-layer header) in a caller's buffer and
 * exposes its fields. One instance per worker; {@link #parse} overwrites all state and never allocates or throws.
 *
 * <p>Addresses are exposed as two longs (high and low 64 bits, network order); IPv4 addresses appear as IPv4-mapped
 * IPv6 addresses ({@code ::ffff:a.b.c.d}: high 0, low {@code 0x0000_ffff_xxxx_xxxx}) so that one representation
 * serves both families, and also as ints ({@link #ipv4Source()}).
 *
 * <p>Field accessors are meaningful after {@link #parse} returned {@link Verdict#OK}; after
 * {@link Verdict#FRAGMENT} or {@link Verdict#TTL_EXPIRED} the addresses, protocol and fragment status are valid too
 * (ports are not). After other verdicts they are unspecified.
 *
 * <p>Checks, in order: the region lies inside the buffer's limit; version; IPv4: IHL &ge; 5, total length covers the
 * header and fits the region (trailing bytes beyond it, e.g. link padding, are ignored), header checksum, options are
 * skipped unread; IPv6: payload length fits the region, extension headers (hop-by-hop only first; routing,
 * destination options, fragment, AH, mobility, HIP, shim6) walked to at most {@link #MAX_EXTENSION_HEADERS};
 * then TTL / hop limit (only for a {@link #forForwarding() forwarding} view); then fragments; then TCP, UDP or SCTP
 * ports, which must be complete.
 */
public final class PacketView {
    /** Extension headers walked before {@link Verdict#EXT_HEADER_CHAIN_TOO_LONG}. */
    public static final int MAX_EXTENSION_HEADERS = 8;

    /** {@link #fragment()}: not a fragment (IPv6 atomic fragments included). */
    public static final int NOT_FRAGMENT = 0;
    /** {@link #fragment()}: offset 0 with more fragments: carries the L4 header. */
    public static final int FIRST_FRAGMENT = 1;
    /** {@link #fragment()}: non-zero offset: no L4 header. */
    public static final int LATER_FRAGMENT = 2;

    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_SCTP = 132;
    public static final int PROTO_IPV4 = 4;
    public static final int PROTO_IPV6 = 41;

    public static final int TCP_FIN = 0x01;
    public static final int TCP_SYN = 0x02;
    public static final int TCP_RST = 0x04;
    public static final int TCP_ACK = 0x10;

    private static final long IPV4_MAPPED_PREFIX = 0x0000_ffff_0000_0000L;

    private final boolean forwarding;

    private int start;
    private int version;
    private int headerLength;
    private int totalLength;
    private int protocol;
    private int hopLimit;
    private int trafficClass;
    private int flowLabel;
    private boolean dontFragment;
    private int fragment;
    private long srcHi;
    private long srcLo;
    private long dstHi;
    private long dstLo;
    private boolean hasPorts;
    private int srcPort;
    private int dstPort;
    private int tcpFlags;

    private PacketView(boolean forwarding) {
        this.forwarding = forwarding;
    }

    /** A view for a forwarder (the director): TTL / hop limit &le; 1 yields {@link Verdict#TTL_EXPIRED}. */
    public static PacketView forForwarding() {
        return new PacketView(true);
    }

    /** A view for local delivery (the LB7 after decapsulation): TTL / hop limit are not checked. */
    public static PacketView forDelivery() {
        return new PacketView(false);
    }

    /**
     * Parses the packet in {@code buf[off, off+len)} (absolute indexes; position and order are ignored).
     *
     * @return a {@link Verdict} code: {@link Verdict#OK} or the first reason the packet must be dropped
     */
    public int parse(ByteBuffer buf, int off, int len) {
        reset(off);
        if (off < 0 || len < 1 || off > buf.limit() - len) {
            return Verdict.TRUNCATED.code();
        }
        version = NetworkOrder.u8(buf, off) >>> 4;
        if (version == 4) {
            return parseIpv4(buf, off, len);
        }
        if (version == 6) {
            return parseIpv6(buf, off, len);
        }
        return Verdict.BAD_VERSION.code();
    }

    private void reset(int off) {
        start = off;
        version = 0;
        headerLength = 0;
        totalLength = 0;
        protocol = -1;
        hopLimit = 0;
        trafficClass = 0;
        flowLabel = 0;
        dontFragment = false;
        fragment = NOT_FRAGMENT;
        srcHi = srcLo = dstHi = dstLo = 0;
        hasPorts = false;
        srcPort = dstPort = tcpFlags = 0;
    }

    private int parseIpv4(ByteBuffer buf, int off, int len) {
        if (len < 20) {
            return Verdict.TRUNCATED.code();
        }
        int ihl = (NetworkOrder.u8(buf, off) & 0x0f) * 4;
        if (ihl < 20) {
            return Verdict.BAD_IHL.code();
        }
        if (ihl > len) {
            return Verdict.TRUNCATED.code();
        }
        int total = NetworkOrder.u16(buf, off + 2);
        if (total < ihl) {
            return Verdict.BAD_TOTAL_LENGTH.code();
        }
        if (total > len) {
            return Verdict.TRUNCATED.code();
        }
        if (!Checksums.ipv4HeaderValid(buf, off, ihl)) {
            return Verdict.BAD_CHECKSUM.code();
        }
        headerLength = ihl;
        totalLength = total;
        trafficClass = NetworkOrder.u8(buf, off + 1);
        int flagsOffset = NetworkOrder.u16(buf, off + 6);
        dontFragment = (flagsOffset & 0x4000) != 0;
        boolean more = (flagsOffset & 0x2000) != 0;
        int fragOffset = flagsOffset & 0x1fff;
        fragment = fragOffset != 0 ? LATER_FRAGMENT : more ? FIRST_FRAGMENT : NOT_FRAGMENT;
        hopLimit = NetworkOrder.u8(buf, off + 8);
        protocol = NetworkOrder.u8(buf, off + 9);
        srcLo = IPV4_MAPPED_PREFIX | (NetworkOrder.i32(buf, off + 12) & 0xffff_ffffL);
        dstLo = IPV4_MAPPED_PREFIX | (NetworkOrder.i32(buf, off + 16) & 0xffff_ffffL);
        return finish(buf, off);
    }

    private int parseIpv6(ByteBuffer buf, int off, int len) {
        if (len < 40) {
            return Verdict.TRUNCATED.code();
        }
        int total = 40 + NetworkOrder.u16(buf, off + 4);
        if (total > len) {
            return Verdict.TRUNCATED.code();
        }
        totalLength = total;
        int first = NetworkOrder.i32(buf, off);
        trafficClass = first >>> 20 & 0xff;
        flowLabel = first & 0xfffff;
        hopLimit = NetworkOrder.u8(buf, off + 7);
        srcHi = NetworkOrder.i64(buf, off + 8);
        srcLo = NetworkOrder.i64(buf, off + 16);
        dstHi = NetworkOrder.i64(buf, off + 24);
        dstLo = NetworkOrder.i64(buf, off + 32);
        dontFragment = true;
        int next = NetworkOrder.u8(buf, off + 6);
        int pos = off + 40;
        int end = off + total;
        for (int walked = 0; isExtensionHeader(next); walked++) {
            if (walked == MAX_EXTENSION_HEADERS) {
                return Verdict.EXT_HEADER_CHAIN_TOO_LONG.code();
            }
            if (next == 0 && walked != 0) {
                return Verdict.BAD_EXT_HEADER.code();
            }
            if (pos + 8 > end) {
                return Verdict.TRUNCATED.code();
            }
            int following = NetworkOrder.u8(buf, pos);
            int size;
            if (next == 44) {
                size = 8;
                int offsetFlags = NetworkOrder.u16(buf, pos + 2);
                int fragOffset = offsetFlags >>> 3;
                boolean more = (offsetFlags & 1) != 0;
                if (fragOffset != 0) {
                    // No upper-layer header follows in a later fragment: stop walking here.
                    fragment = LATER_FRAGMENT;
                    protocol = following;
                    headerLength = pos + 8 - off;
                    return finish(buf, off);
                }
                if (more) {
                    fragment = FIRST_FRAGMENT;
                }
            } else if (next == 51) {
                size = (NetworkOrder.u8(buf, pos + 1) + 2) * 4;
            } else {
                size = (NetworkOrder.u8(buf, pos + 1) + 1) * 8;
                if (next == 43 && NetworkOrder.u8(buf, pos + 3) != 0) {
                    return Verdict.BAD_EXT_HEADER.code();
                }
            }
            if (pos + size > end) {
                return Verdict.TRUNCATED.code();
            }
            pos += size;
            next = following;
        }
        protocol = next;
        headerLength = pos - off;
        return finish(buf, off);
    }

    private static boolean isExtensionHeader(int next) {
        return next == 0 || next == 43 || next == 44 || next == 60 || next == 51 || next == 135 || next == 139
                || next == 140;
    }

    private int finish(ByteBuffer buf, int off) {
        if (forwarding && hopLimit <= 1) {
            return Verdict.TTL_EXPIRED.code();
        }
        if (fragment != NOT_FRAGMENT) {
            return Verdict.FRAGMENT.code();
        }
        int l4 = off + headerLength;
        int l4Length = totalLength - headerLength;
        if (protocol == PROTO_TCP) {
            if (l4Length < 20) {
                return Verdict.TRUNCATED.code();
            }
            int dataOffset = (NetworkOrder.u8(buf, l4 + 12) >>> 4) * 4;
            if (dataOffset < 20 || dataOffset > l4Length) {
                return Verdict.BAD_L4_HEADER.code();
            }
            tcpFlags = NetworkOrder.u8(buf, l4 + 13);
        } else if (protocol == PROTO_UDP) {
            if (l4Length < 8) {
                return Verdict.TRUNCATED.code();
            }
            int udpLength = NetworkOrder.u16(buf, l4 + 4);
            if (udpLength < 8 || udpLength > l4Length) {
                return Verdict.BAD_L4_HEADER.code();
            }
        } else if (protocol == PROTO_SCTP) {
            if (l4Length < 12) {
                return Verdict.TRUNCATED.code();
            }
        } else {
            return Verdict.OK.code();
        }
        hasPorts = true;
        srcPort = NetworkOrder.u16(buf, l4);
        dstPort = NetworkOrder.u16(buf, l4 + 2);
        return Verdict.OK.code();
    }

    /** Absolute offset of the packet in the buffer (the {@code off} given to {@link #parse}). */
    public int start() {
        return start;
    }

    /** 4 or 6 (or the bad nibble after {@link Verdict#BAD_VERSION}). */
    public int version() {
        return version;
    }

    /** Bytes from the start of the packet to the upper-layer header: IPv4 IHL*4; IPv6 40 plus extension headers. */
    public int headerLength() {
        return headerLength;
    }

    /** IPv4 total length, or 40 + IPv6 payload length. */
    public int totalLength() {
        return totalLength;
    }

    /** Upper-layer protocol: IPv4 protocol, or the IPv6 next header after the extension headers. */
    public int protocol() {
        return protocol;
    }

    /** TTL or hop limit. */
    public int hopLimit() {
        return hopLimit;
    }

    /** IPv4 TOS byte or IPv6 traffic class: DSCP in the high 6 bits, ECN in the low 2. */
    public int trafficClass() {
        return trafficClass;
    }

    /** IPv6 flow label (20 bits); 0 for IPv4. */
    public int flowLabel() {
        return flowLabel;
    }

    /** IPv4 DF bit; always true for IPv6 (routers never fragment it). */
    public boolean dontFragment() {
        return dontFragment;
    }

    /** {@link #NOT_FRAGMENT}, {@link #FIRST_FRAGMENT} or {@link #LATER_FRAGMENT}. */
    public int fragment() {
        return fragment;
    }

    public long sourceHigh() {
        return srcHi;
    }

    public long sourceLow() {
        return srcLo;
    }

    public long destinationHigh() {
        return dstHi;
    }

    public long destinationLow() {
        return dstLo;
    }

    /** IPv4 source address as an int (network order); 0 for IPv6. */
    public int ipv4Source() {
        return version == 4 ? (int) srcLo : 0;
    }

    /** IPv4 destination address as an int (network order); 0 for IPv6. */
    public int ipv4Destination() {
        return version == 4 ? (int) dstLo : 0;
    }

    /** Copies the source address (4 or 16 bytes) into {@code into[at...]}; returns the number of bytes written. */
    public int copySource(byte[] into, int at) {
        return copy(srcHi, srcLo, into, at);
    }

    /** Copies the destination address (4 or 16 bytes) into {@code into[at...]}; returns the number of bytes written. */
    public int copyDestination(byte[] into, int at) {
        return copy(dstHi, dstLo, into, at);
    }

    private int copy(long hi, long lo, byte[] into, int at) {
        if (version == 4) {
            for (int i = 0; i < 4; i++) {
                into[at + i] = (byte) (lo >>> (24 - 8 * i));
            }
            return 4;
        }
        for (int i = 0; i < 8; i++) {
            into[at + i] = (byte) (hi >>> (56 - 8 * i));
            into[at + 8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return 16;
    }

    /** Whether {@link #sourcePort()} and {@link #destinationPort()} are valid: TCP, UDP or SCTP, not a fragment. */
    public boolean hasPorts() {
        return hasPorts;
    }

    public int sourcePort() {
        return srcPort;
    }

    public int destinationPort() {
        return dstPort;
    }

    /** TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10...); 0 unless TCP. */
    public int tcpFlags() {
        return tcpFlags;
    }

    public boolean isTcpSyn() {
        return protocol == PROTO_TCP && (tcpFlags & TCP_SYN) != 0;
    }

    public boolean isTcpFin() {
        return protocol == PROTO_TCP && (tcpFlags & TCP_FIN) != 0;
    }

    public boolean isTcpRst() {
        return protocol == PROTO_TCP && (tcpFlags & TCP_RST) != 0;
    }

    /**
     * A 32-bit hash of the flow: addresses, protocol and (when {@link #hasPorts()}) ports; addresses and protocol
     * only otherwise. Deterministic across runs; used for the outer IPv6 flow label (RFC 6438).
     */
    public int flowHash() {
        long h = srcHi * 0x9e37_79b9_7f4a_7c15L;
        h = (h ^ srcLo) * 0xbf58_476d_1ce4_e5b9L;
        h = (h ^ dstHi) * 0x94d0_49bb_1331_11ebL;
        h = (h ^ dstLo) * 0x9e37_79b9_7f4a_7c15L;
        h = (h ^ ((long) protocol << 32 | (long) srcPort << 16 | dstPort)) * 0xbf58_476d_1ce4_e5b9L;
        h ^= h >>> 31;
        return (int) (h ^ h >>> 32);
    }
}
