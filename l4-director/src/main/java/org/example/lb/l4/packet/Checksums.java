package org.example.lb.l4.packet;

import java.nio.ByteBuffer;

/** Internet checksum (RFC 1071) over buffer regions, and incremental update (RFC 1624). Allocation-free. */
public final class Checksums {
    private Checksums() {
    }

    /** Adds the 16-bit big-endian words of {@code [off, off+len)} to {@code sum} (odd tail padded with zero). */
    public static long sum(ByteBuffer b, int off, int len, long sum) {
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            sum += NetworkOrder.u16(b, i);
        }
        if (i < end) {
            sum += (b.get(i) & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a 32/64-bit sum into 16 bits and complements it: the checksum field value. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /**
     * The checksum of an IPv4 header of {@code headerLength} bytes at {@code off}, computed with the checksum field
     * (bytes 10-11) taken as zero: the value to store there.
     */
    public static int ipv4Header(ByteBuffer b, int off, int headerLength) {
        long sum = sum(b, off, 10, 0);
        sum = sum(b, off + 12, headerLength - 12, sum);
        return finish(sum);
    }

    /** Whether the IPv4 header at {@code off} (checksum field included) verifies: its one's-complement sum is 0xffff. */
    public static boolean ipv4HeaderValid(ByteBuffer b, int off, int headerLength) {
        return finish(sum(b, off, headerLength, 0)) == 0;
    }

    /**
     * RFC 1624 equation 3: the new checksum after one 16-bit word covered by {@code checksum} changes from
     * {@code oldWord} to {@code newWord}: {@code HC' = ~(~HC + ~m + m')}.
     */
    public static int update16(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        return finish(sum);
    }
}
