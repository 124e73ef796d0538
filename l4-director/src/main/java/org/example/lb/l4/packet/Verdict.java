package org.example.lb.l4.packet;

/**
 * The outcome of parsing, encapsulating or decapsulating one packet: {@link #OK} or a specific drop reason.
 *
 * <p>Hot paths return the primitive {@link #code()} (an {@code int}); this type names the codes for counters,
 * metrics and tests. Codes are stable (they index {@link DropCounters} and appear in metrics) and lie in
 * {@code [0, LIMIT)}; {@link #valueOf(int)} round-trips codes it does not know, like Netty's DnsResponseCode.
 */
public final class Verdict implements Comparable<Verdict> {
    /** Exclusive upper bound of the codes this build defines; {@link DropCounters} counts codes below it. */
    public static final int LIMIT = 32;

    /** The packet is well formed and may be forwarded or delivered. */
    public static final Verdict OK = new Verdict(0, "OK");
    /** The buffer holds fewer bytes than a header or a length field requires (or the region lies outside it). */
    public static final Verdict TRUNCATED = new Verdict(1, "TRUNCATED");
    /** The IP version nibble is neither 4 nor 6. */
    public static final Verdict BAD_VERSION = new Verdict(2, "BAD_VERSION");
    /** IPv4 IHL below 5 (a header shorter than 20 bytes). */
    public static final Verdict BAD_IHL = new Verdict(3, "BAD_IHL");
    /** IPv4 total length shorter than its own header. */
    public static final Verdict BAD_TOTAL_LENGTH = new Verdict(4, "BAD_TOTAL_LENGTH");
    /** The IPv4 header checksum does not verify. */
    public static final Verdict BAD_CHECKSUM = new Verdict(5, "BAD_CHECKSUM");
    /** TTL or hop limit of at most 1: a forwarder must not forward it. */
    public static final Verdict TTL_EXPIRED = new Verdict(6, "TTL_EXPIRED");
    /**
     * An IPv4 or IPv6 fragment (not an atomic fragment). The view's addresses and protocol are valid, ports are not;
     * the director drops and counts fragments (see the package documentation).
     */
    public static final Verdict FRAGMENT = new Verdict(7, "FRAGMENT");
    /** The (inner) destination is not one of the configured VIPs. */
    public static final Verdict UNKNOWN_VIP = new Verdict(8, "UNKNOWN_VIP");
    /** A packet handed to the decapsulator is not IPv4-in-IP (4) or IPv6-in-IP (41). */
    public static final Verdict NOT_TUNNEL = new Verdict(9, "NOT_TUNNEL");
    /** More IPv6 extension headers than the parser walks (a chain that is too long or loops). */
    public static final Verdict EXT_HEADER_CHAIN_TOO_LONG = new Verdict(10, "EXT_HEADER_CHAIN_TOO_LONG");
    /** A malformed IPv6 extension header: hop-by-hop not first, or a routing header with segments left. */
    public static final Verdict BAD_EXT_HEADER = new Verdict(11, "BAD_EXT_HEADER");
    /** The encapsulated packet would exceed the egress MTU. */
    public static final Verdict TOO_BIG = new Verdict(12, "TOO_BIG");
    /** The buffer has no room for the outer header before the inner packet (read packets at offset 40). */
    public static final Verdict NO_HEADROOM = new Verdict(13, "NO_HEADROOM");
    /** The tunnel protocol (4 or 41) does not match the inner packet's IP version. */
    public static final Verdict INNER_VERSION_MISMATCH = new Verdict(14, "INNER_VERSION_MISMATCH");
    /** Outer header marked CE but the inner packet is Not-ECT: RFC 6040 section 4.2 requires a drop. */
    public static final Verdict ECN_CE_NOT_ECT = new Verdict(15, "ECN_CE_NOT_ECT");
    /** A TCP header with data offset below 5 or beyond the packet, or a UDP length below 8 or beyond the packet. */
    public static final Verdict BAD_L4_HEADER = new Verdict(16, "BAD_L4_HEADER");
    /** The encapsulator has no source address of the LB7's address family. */
    public static final Verdict NO_SOURCE_ADDRESS = new Verdict(17, "NO_SOURCE_ADDRESS");
    /** A tunnel packet whose outer source is not one of the directors the decapsulator accepts. */
    public static final Verdict UNKNOWN_TUNNEL_SOURCE = new Verdict(18, "UNKNOWN_TUNNEL_SOURCE");
    /** Director: the packet is not addressed to a configured service (VIP, protocol TCP/UDP, port). */
    public static final Verdict NOT_A_SERVICE = new Verdict(19, "NOT_A_SERVICE");
    /** Director: no LB7 can take the packet (none UP for a new flow, none UP or DRAINING for a mid-flow packet). */
    public static final Verdict NO_BACKEND = new Verdict(20, "NO_BACKEND");
    /**
     * Director: the chosen LB7 has no tunnel address of a family the director can send from (no IPv4 and no IPv6
     * address matching the director's configured tunnel sources).
     */
    public static final Verdict NO_TUNNEL_ADDRESS = new Verdict(21, "NO_TUNNEL_ADDRESS");

    private static final Verdict[] KNOWN = {
        OK, TRUNCATED, BAD_VERSION, BAD_IHL, BAD_TOTAL_LENGTH, BAD_CHECKSUM, TTL_EXPIRED, FRAGMENT, UNKNOWN_VIP,
        NOT_TUNNEL, EXT_HEADER_CHAIN_TOO_LONG, BAD_EXT_HEADER, TOO_BIG, NO_HEADROOM, INNER_VERSION_MISMATCH,
        ECN_CE_NOT_ECT, BAD_L4_HEADER, NO_SOURCE_ADDRESS,
        UNKNOWN_TUNNEL_SOURCE, NOT_A_SERVICE, NO_BACKEND, NO_TUNNEL_ADDRESS,
    };

    private final int code;
    private final String name;

    private Verdict(int code, String name) {
        this.code = code;
        this.name = name;
    }

    /** The verdict for {@code code}: a constant when known, otherwise a new value named {@code UNKNOWN(code)}. */
    public static Verdict valueOf(int code) {
        if (code >= 0 && code < KNOWN.length) {
            return KNOWN[code];
        }
        return new Verdict(code, "UNKNOWN(" + code + ")");
    }

    /** All verdicts this build defines, by code. */
    public static Verdict[] values() {
        return KNOWN.clone();
    }

    public int code() {
        return code;
    }

    public String name() {
        return name;
    }

    public boolean isOk() {
        return code == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Verdict v && v.code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public int compareTo(Verdict o) {
        return Integer.compare(code, o.code);
    }

    @Override
    public String toString() {
        return name;
    }
}
