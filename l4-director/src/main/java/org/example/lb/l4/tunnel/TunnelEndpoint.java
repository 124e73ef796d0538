package org.example.lb.l4.tunnel;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An IP address in the packet path's representation, converted once (at configuration time) so that
 * encapsulation needs no allocation: two longs, IPv4 as {@code ::ffff:a.b.c.d} like
 * {@link org.example.lb.l4.packet.PacketView}.
 */
public final class TunnelEndpoint {
    private static final long IPV4_MAPPED_PREFIX = 0x0000_ffff_0000_0000L;

    private final InetAddress address;
    private final boolean ipv4;
    private final long high;
    private final long low;

    private TunnelEndpoint(InetAddress address) {
        this.address = address;
        byte[] a = address.getAddress();
        this.ipv4 = address instanceof Inet4Address;
        if (ipv4) {
            high = 0;
            low = IPV4_MAPPED_PREFIX | toLong(a, 0, 4);
        } else {
            high = toLong(a, 0, 8);
            low = toLong(a, 8, 8);
        }
    }

    public static TunnelEndpoint of(InetAddress address) {
        return new TunnelEndpoint(Objects.requireNonNull(address, "address"));
    }

    private static long toLong(byte[] a, int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (a[at + i] & 0xff);
        }
        return v;
    }

    public InetAddress address() {
        return address;
    }

    public boolean isIpv4() {
        return ipv4;
    }

    /** High 64 bits (0 for IPv4). */
    public long high() {
        return high;
    }

    /** Low 64 bits ({@code 0x0000_ffff_xxxx_xxxx} for IPv4). */
    public long low() {
        return low;
    }

    /** The IPv4 address as a network-order int; meaningful only if {@link #isIpv4()}. */
    public int ipv4() {
        return (int) low;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunnelEndpoint t && t.high == high && t.low == low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high * 31 + low);
    }

    @Override
    public String toString() {
        return address.getHostAddress();
    }
}
