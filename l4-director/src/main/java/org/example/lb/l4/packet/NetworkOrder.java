package org.example.lb.l4.packet;

import java.nio.ByteBuffer;

/**
 * Big-endian absolute reads and writes on a {@link ByteBuffer}, independent of the buffer's {@code order()}.
 * Callers check bounds first; these do not allocate.
 */
public final class NetworkOrder {
    private NetworkOrder() {
    }

    public static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
    }

    public static int u16(ByteBuffer b, int i) {
        return (b.get(i) & 0xff) << 8 | b.get(i + 1) & 0xff;
    }

    public static int i32(ByteBuffer b, int i) {
        return (b.get(i) & 0xff) << 24 | (b.get(i + 1) & 0xff) << 16 | (b.get(i + 2) & 0xff) << 8 | b.get(i + 3) & 0xff;
    }

    public static long i64(ByteBuffer b, int i) {
        return (i32(b, i) & 0xffff_ffffL) << 32 | i32(b, i + 4) & 0xffff_ffffL;
    }

    public static void put8(ByteBuffer b, int i, int v) {
        b.put(i, (byte) v);
    }

    public static void put16(ByteBuffer b, int i, int v) {
        b.put(i, (byte) (v >>> 8));
        b.put(i + 1, (byte) v);
    }

    public static void put32(ByteBuffer b, int i, int v) {
        b.put(i, (byte) (v >>> 24));
        b.put(i + 1, (byte) (v >>> 16));
        b.put(i + 2, (byte) (v >>> 8));
        b.put(i + 3, (byte) v);
    }

    public static void put64(ByteBuffer b, int i, long v) {
        put32(b, i, (int) (v >>> 32));
        put32(b, i + 4, (int) v);
    }
}
