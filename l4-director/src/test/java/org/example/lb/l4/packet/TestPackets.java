package org.example.lb.l4.packet;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hand-built IPv4 / IPv6 packets for tests, with a checksum computed independently of {@link Checksums}. */
public final class TestPackets {
    /** Where tests place packets in a buffer: the headroom the encapsulator needs. */
    public static final int HEADROOM = 40;

    private TestPackets() {
    }

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", "").replace("_", ""));
    }

    public static String hex(ByteBuffer buf, int off, int len) {
        byte[] out = new byte[len];
        buf.get(off, out);
        return HexFormat.of().formatHex(out);
    }

    /**
     * Parses a TCP/IPv4 packet {@code src:srcPort → dst:dstPort} with {@code flags} into {@code view} for forwarding
     * and returns the view.
     *
     * @throws IllegalStateException when the view does not parse it
     */
    public static PacketView parsedTcp4(PacketView view, String src, int srcPort, String dst, int dstPort, int flags) {
        Ipv4 p = new Ipv4().payload(6, tcp(srcPort, dstPort, flags, 0));
        p.src = java.net.InetAddress.ofLiteral(src).getAddress();
        p.dst = java.net.InetAddress.ofLiteral(dst).getAddress();
        ByteBuffer buf = inBuffer(p.build());
        int verdict = view.parse(buf, HEADROOM, buf.limit() - HEADROOM);
        if (verdict != Verdict.OK.code()) {
            throw new IllegalStateException("test packet not parsed: " + Verdict.valueOf(verdict));
        }
        return view;
    }

    /** A direct buffer holding {@code packet} at {@link #HEADROOM}, limit right after it. */
    public static ByteBuffer inBuffer(byte[] packet) {
        ByteBuffer buf = ByteBuffer.allocateDirect(HEADROOM + packet.length + 64);
        buf.put(HEADROOM, packet);
        buf.limit(HEADROOM + packet.length);
        return buf;
    }

    /** RFC 1071 checksum written the slow, obvious way. */
    public static int internetChecksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xff;
            int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
            sum += hi * 256 + lo;
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    public static byte[] tcp(int srcPort, int dstPort, int flags, int payloadLength) {
        byte[] t = new byte[20 + payloadLength];
        put16(t, 0, srcPort);
        put16(t, 2, dstPort);
        t[12] = 0x50;
        t[13] = (byte) flags;
        return t;
    }

    public static byte[] udp(int srcPort, int dstPort, int payloadLength) {
        byte[] u = new byte[8 + payloadLength];
        put16(u, 0, srcPort);
        put16(u, 2, dstPort);
        put16(u, 4, u.length);
        return u;
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    /** IPv4 packet builder; defaults: TOS 0, id 0x1234, DF, TTL 64, TCP, 192.0.2.1 → 203.0.113.10. */
    public static final class Ipv4 {
        public int tos = 0;
        public int id = 0x1234;
        public int flagsOffset = 0x4000;
        public int ttl = 64;
        public int protocol = 6;
        public byte[] src = {(byte) 192, 0, 2, 1};
        public byte[] dst = {(byte) 203, 0, 113, 10};
        public byte[] options = new byte[0];
        public byte[] payload = tcp(40000, 443, 0x02, 0);

        public Ipv4 payload(int protocol, byte[] payload) {
            this.protocol = protocol;
            this.payload = payload;
            return this;
        }

        public byte[] build() {
            int ihl = 20 + options.length;
            byte[] p = new byte[ihl + payload.length];
            p[0] = (byte) (0x40 | ihl / 4);
            p[1] = (byte) tos;
            put16(p, 2, p.length);
            put16(p, 4, id);
            put16(p, 6, flagsOffset);
            p[8] = (byte) ttl;
            p[9] = (byte) protocol;
            System.arraycopy(src, 0, p, 12, 4);
            System.arraycopy(dst, 0, p, 16, 4);
            System.arraycopy(options, 0, p, 20, options.length);
            put16(p, 10, internetChecksum(p, 0, ihl));
            System.arraycopy(payload, 0, p, ihl, payload.length);
            return p;
        }
    }

    /** IPv6 packet builder; defaults: TC 0, flow label 0, hop limit 64, UDP, 2001:db8::1 → 2001:db8:0:1::10. */
    public static final class Ipv6 {
        public int trafficClass = 0;
        public int flowLabel = 0;
        public int hopLimit = 64;
        public byte[] src = hex("20010db8000000000000000000000001");
        public byte[] dst = hex("20010db8000000010000000000000010");
        private final ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        private int firstNext = -1;
        private int lastNextAt = -1;
        public int protocol = 17;
        public byte[] payload = udp(50000, 53, 4);

        public Ipv6 payload(int protocol, byte[] payload) {
            this.protocol = protocol;
            this.payload = payload;
            return this;
        }

        /** Appends an extension header of {@code type} with {@code size} bytes (multiple of 8; AH: of 4). */
        public Ipv6 extension(int type, int size) {
            byte[] h = new byte[size];
            h[1] = (byte) (type == 51 ? size / 4 - 2 : size / 8 - 1);
            return extension(type, h);
        }

        /** Appends a raw extension header; byte 0 (next header) is filled in when the chain is built. */
        public Ipv6 extension(int type, byte[] header) {
            byte[] existing = extensions.toByteArray();
            if (firstNext < 0) {
                firstNext = type;
            } else {
                existing[lastNextAt] = (byte) type;
                extensions.reset();
                extensions.writeBytes(existing);
            }
            lastNextAt = existing.length;
            extensions.writeBytes(header);
            return this;
        }

        public Ipv6 fragment(int offsetUnits, boolean more) {
            byte[] h = new byte[8];
            put16(h, 2, offsetUnits << 3 | (more ? 1 : 0));
            h[7] = 0x2a;
            return extension(44, h);
        }

        public byte[] build() {
            byte[] ext = extensions.toByteArray();
            if (lastNextAt >= 0) {
                ext[lastNextAt] = (byte) protocol;
            }
            byte[] p = new byte[40 + ext.length + payload.length];
            int first = 6 << 28 | trafficClass << 20 | flowLabel;
            put16(p, 0, first >>> 16);
            put16(p, 2, first);
            put16(p, 4, ext.length + payload.length);
            p[6] = (byte) (firstNext >= 0 ? firstNext : protocol);
            p[7] = (byte) hopLimit;
            System.arraycopy(src, 0, p, 8, 16);
            System.arraycopy(dst, 0, p, 24, 16);
            System.arraycopy(ext, 0, p, 40, ext.length);
            System.arraycopy(payload, 0, p, 40 + ext.length, payload.length);
            return p;
        }
    }
}
