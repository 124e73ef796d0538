package org.example.lb.l4.tunnel;

import java.net.InetAddress;
import java.util.Collection;
import org.example.lb.l4.packet.PacketView;

/**
 * An immutable set of VIP addresses (IPv4 and IPv6) with an allocation-free membership test for the packet path.
 *
 * <p>Addresses are keyed in {@link PacketView}'s representation (two longs; IPv4 as {@code ::ffff:a.b.c.d}), held
 * in an open-addressing table with linear probing at most half full.
 */
public final class VipSet {
    private static final long IPV4_MAPPED_PREFIX = 0x0000_ffff_0000_0000L;

    private final long[] high;
    private final long[] low;
    private final boolean[] used;
    private final int mask;
    private final int size;

    private VipSet(long[] high, long[] low, boolean[] used, int size) {
        this.high = high;
        this.low = low;
        this.used = used;
        this.mask = used.length - 1;
        this.size = size;
    }

    /** The set of {@code vips} (duplicates collapse). */
    public static VipSet of(Collection<? extends InetAddress> vips) {
        int capacity = Integer.highestOneBit(Math.max(2, vips.size()) * 2 - 1) << 1;
        long[] high = new long[capacity];
        long[] low = new long[capacity];
        boolean[] used = new boolean[capacity];
        int size = 0;
        for (InetAddress vip : vips) {
            TunnelEndpoint e = TunnelEndpoint.of(vip);
            long hi = e.high();
            long lo = e.low();
            int i = slot(hi, lo, capacity - 1);
            while (used[i] && !(high[i] == hi && low[i] == lo)) {
                i = (i + 1) & (capacity - 1);
            }
            if (!used[i]) {
                used[i] = true;
                high[i] = hi;
                low[i] = lo;
                size++;
            }
        }
        return new VipSet(high, low, used, size);
    }

    private static int slot(long hi, long lo, int mask) {
        long h = (hi * 0x9e37_79b9_7f4a_7c15L ^ lo) * 0xbf58_476d_1ce4_e5b9L;
        return (int) (h ^ h >>> 29) & mask;
    }

    /** Whether the address {@code (hi, lo)} (PacketView representation) is a VIP. */
    public boolean contains(long hi, long lo) {
        int i = slot(hi, lo, mask);
        while (used[i]) {
            if (high[i] == hi && low[i] == lo) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    /** Whether the IPv4 address {@code addr} (network order int) is a VIP. */
    public boolean containsIpv4(int addr) {
        return contains(0, IPV4_MAPPED_PREFIX | (addr & 0xffff_ffffL));
    }

    /** Whether the destination of the parsed packet in {@code view} is a VIP. */
    public boolean containsDestination(PacketView view) {
        return contains(view.destinationHigh(), view.destinationLow());
    }

    public int size() {
        return size;
    }
}
