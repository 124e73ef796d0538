package org.example.lb.l4.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.example.lb.l4.packet.TestPackets.HEADROOM;
import static org.example.lb.l4.packet.TestPackets.inBuffer;
import static org.example.lb.l4.tunnel.EncapsulatorTest.DIRECTOR4;
import static org.example.lb.l4.tunnel.EncapsulatorTest.DIRECTOR6;
import static org.example.lb.l4.tunnel.EncapsulatorTest.LB7_4;
import static org.example.lb.l4.tunnel.EncapsulatorTest.LB7_6;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.example.lb.l4.packet.Checksums;
import org.example.lb.l4.packet.DropCounters;
import org.example.lb.l4.packet.NetworkOrder;
import org.example.lb.l4.packet.PacketView;
import org.example.lb.l4.packet.TestPackets;
import org.example.lb.l4.packet.Verdict;
import org.junit.jupiter.api.Test;

class DecapsulatorTest {
    static final VipSet VIPS = VipSet.of(List.of(address("203.0.113.10"), address("2001:db8:0:1::10"),
            address("203.0.113.11")));
    static final VipSet DIRECTORS = VipSet.of(List.of(DIRECTOR4.address(), DIRECTOR6.address()));
    static final long D6_HI = DIRECTOR6.high();
    static final long D6_LO = DIRECTOR6.low();

    private final PacketView view = PacketView.forForwarding();
    private final Encapsulator encapsulator =
            Encapsulator.create(Optional.of(DIRECTOR4), Optional.of(DIRECTOR6), 1500, 7);
    private final Decapsulator decapsulator = Decapsulator.create(VIPS, Optional.of(DIRECTORS));
    private final DropCounters counters = new DropCounters();

    static InetAddress address(String literal) {
        return EncapsulatorTest.endpoint(literal).address();
    }

    /** Parses and encapsulates {@code inner} towards {@code lb7}; returns the buffer. */
    private ByteBuffer tunnelled(byte[] inner, TunnelEndpoint lb7) {
        ByteBuffer buf = inBuffer(inner);
        assertThat(view.parse(buf, HEADROOM, inner.length)).isEqualTo(Verdict.OK.code());
        assertThat(encapsulator.encapsulate(buf, view, lb7)).isEqualTo(Verdict.OK.code());
        return buf;
    }

    private Verdict count(int code) {
        counters.count(code);
        return Verdict.valueOf(code);
    }

    @Test
    void roundTripsIpv4InIpv4() {
        byte[] inner = new TestPackets.Ipv4().build();
        ByteBuffer buf = tunnelled(inner, LB7_4);

        assertThat(count(decapsulator.decapsulateIpv4(buf, encapsulator.start(), encapsulator.length())))
                .isEqualTo(Verdict.OK);
        assertThat(decapsulator.innerStart()).isEqualTo(HEADROOM);
        assertThat(decapsulator.innerLength()).isEqualTo(inner.length);
        assertThat(TestPackets.hex(buf, HEADROOM, inner.length)).isEqualTo(HexFormat.of().formatHex(inner));
        assertThat(decapsulator.inner().destinationPort()).isEqualTo(443);
    }

    @Test
    void roundTripsIpv6InIpv6AsTheRawSocketDeliversIt() {
        byte[] inner = new TestPackets.Ipv6().build();
        ByteBuffer buf = tunnelled(inner, LB7_6);
        // An IPv6 raw socket hands over the payload only: skip the 40-byte outer header.
        int payloadOff = encapsulator.start() + 40;

        assertThat(count(decapsulator.decapsulateIpv6Payload(buf, payloadOff, encapsulator.length() - 40, 41,
                Decapsulator.UNKNOWN_TRAFFIC_CLASS, D6_HI, D6_LO))).isEqualTo(Verdict.OK);
        assertThat(decapsulator.innerStart()).isEqualTo(HEADROOM);
        assertThat(decapsulator.innerLength()).isEqualTo(inner.length);
        assertThat(count(decapsulator.decapsulateIpv6(buf, encapsulator.start(), encapsulator.length())))
                .isEqualTo(Verdict.OK);
        assertThat(decapsulator.innerStart()).isEqualTo(HEADROOM);
    }

    @Test
    void acceptsInnerTtlOfOneForLocalDelivery() {
        TestPackets.Ipv4 b = new TestPackets.Ipv4();
        b.ttl = 1;
        byte[] tunnel = ipv4Tunnel(b.build(), 4);

        assertThat(count(decapsulator.decapsulateIpv4(inBuffer(tunnel), HEADROOM, tunnel.length)))
                .isEqualTo(Verdict.OK);
    }

    @Test
    void dropsInnerPacketsForOtherDestinations() {
        TestPackets.Ipv4 b = new TestPackets.Ipv4();
        b.dst = new byte[] {(byte) 203, 0, 113, 12};
        byte[] tunnel = ipv4Tunnel(b.build(), 4);

        assertThat(count(decapsulator.decapsulateIpv4(inBuffer(tunnel), HEADROOM, tunnel.length)))
                .isEqualTo(Verdict.UNKNOWN_VIP);
        TestPackets.Ipv6 v6 = new TestPackets.Ipv6();
        v6.dst[15] = 0x11;
        byte[] inner6 = v6.build();
        assertThat(count(decapsulator.decapsulateIpv6Payload(inBuffer(inner6), HEADROOM, inner6.length, 41, -1, D6_HI, D6_LO)))
                .isEqualTo(Verdict.UNKNOWN_VIP);
        assertThat(counters.get(Verdict.UNKNOWN_VIP)).isEqualTo(2);
    }

    @Test
    void dropsNonTunnelAndMismatchedInnerVersions() {
        byte[] udp = new TestPackets.Ipv4().payload(17, TestPackets.udp(1, 2, 0)).build();
        assertThat(count(decapsulator.decapsulateIpv4(inBuffer(udp), HEADROOM, udp.length)))
                .isEqualTo(Verdict.NOT_TUNNEL);

        byte[] v6InProto4 = ipv4Tunnel(new TestPackets.Ipv6().build(), 4);
        assertThat(count(decapsulator.decapsulateIpv4(inBuffer(v6InProto4), HEADROOM, v6InProto4.length)))
                .isEqualTo(Verdict.INNER_VERSION_MISMATCH);
        byte[] inner4 = new TestPackets.Ipv4().build();
        assertThat(count(decapsulator.decapsulateIpv6Payload(inBuffer(inner4), HEADROOM, inner4.length, 41, -1, D6_HI, D6_LO)))
                .isEqualTo(Verdict.INNER_VERSION_MISMATCH);
        assertThat(count(decapsulator.decapsulateIpv6Payload(inBuffer(inner4), HEADROOM, inner4.length, 4, -1, D6_HI, D6_LO)))
                .isEqualTo(Verdict.OK);

        byte[] garbage = ipv4Tunnel(new byte[] {0x20, 0, 0, 0}, 4);
        assertThat(count(decapsulator.decapsulateIpv4(inBuffer(garbage), HEADROOM, garbage.length)))
                .isEqualTo(Verdict.BAD_VERSION);
        byte[] v6 = new TestPackets.Ipv6().build();
        assertThat(count(decapsulator.decapsulateIpv4(inBuffer(v6), HEADROOM, v6.length)))
                .isEqualTo(Verdict.BAD_VERSION);
        assertThat(counters.get(Verdict.INNER_VERSION_MISMATCH)).isEqualTo(2);
    }

    @Test
    void dropsTruncatedOrCorruptInnerPackets() {
        byte[] inner = new TestPackets.Ipv4().build();
        byte[] tunnel = ipv4Tunnel(java.util.Arrays.copyOf(inner, 30), 4);
        assertThat(count(decapsulator.decapsulateIpv4(inBuffer(tunnel), HEADROOM, tunnel.length)))
                .isEqualTo(Verdict.TRUNCATED);
        inner[15] ^= 1;
        byte[] corrupt = ipv4Tunnel(inner, 4);
        assertThat(count(decapsulator.decapsulateIpv4(inBuffer(corrupt), HEADROOM, corrupt.length)))
                .isEqualTo(Verdict.BAD_CHECKSUM);
        byte[] outerCorrupt = ipv4Tunnel(new TestPackets.Ipv4().build(), 4);
        outerCorrupt[8] ^= 1;
        assertThat(count(decapsulator.decapsulateIpv4(inBuffer(outerCorrupt), HEADROOM, outerCorrupt.length)))
                .isEqualTo(Verdict.BAD_CHECKSUM);
    }

    @Test
    void acceptsTunnelsOnlyFromConfiguredDirectors() {
        byte[] inner = new TestPackets.Ipv4().build();
        TestPackets.Ipv4 outer = new TestPackets.Ipv4().payload(4, inner);
        outer.src = new byte[] {(byte) 198, 51, 100, 99};
        byte[] spoofed = outer.build();
        assertThat(count(decapsulator.decapsulateIpv4(inBuffer(spoofed), HEADROOM, spoofed.length)))
                .isEqualTo(Verdict.UNKNOWN_TUNNEL_SOURCE);

        byte[] inner6 = new TestPackets.Ipv6().build();
        assertThat(count(decapsulator.decapsulateIpv6Payload(inBuffer(inner6), HEADROOM, inner6.length, 41, -1,
                D6_HI, D6_LO + 1))).isEqualTo(Verdict.UNKNOWN_TUNNEL_SOURCE);
        TestPackets.Ipv6 outer6 = new TestPackets.Ipv6().payload(41, inner6);
        byte[] spoofed6 = outer6.build();
        assertThat(count(decapsulator.decapsulateIpv6(inBuffer(spoofed6), HEADROOM, spoofed6.length)))
                .isEqualTo(Verdict.UNKNOWN_TUNNEL_SOURCE);
        assertThat(counters.get(Verdict.UNKNOWN_TUNNEL_SOURCE)).isEqualTo(3);

        Decapsulator anySource = Decapsulator.create(VIPS, Optional.empty());
        assertThat(anySource.decapsulateIpv4(inBuffer(spoofed), HEADROOM, spoofed.length))
                .isEqualTo(Verdict.OK.code());
        assertThat(anySource.decapsulateIpv6(inBuffer(spoofed6), HEADROOM, spoofed6.length))
                .isEqualTo(Verdict.OK.code());
    }

    @Test
    void combinesEcnPerRfc6040() {
        assertThat(decapWithOuterEcn(0x02, 3)).isEqualTo("03"); // outer CE over ECT(0) -> CE
        assertThat(decapWithOuterEcn(0x01, 3)).isEqualTo("03"); // outer CE over ECT(1) -> CE
        assertThat(decapWithOuterEcn(0xba, 1)).isEqualTo("b9"); // outer ECT(1) over ECT(0) -> ECT(1), DSCP kept
        assertThat(decapWithOuterEcn(0x02, 2)).isEqualTo("02"); // unchanged
        assertThat(decapWithOuterEcn(0x00, 3)).isEqualTo(Verdict.ECN_CE_NOT_ECT.name());
        assertThat(decapWithOuterEcn(0x00, 1)).isEqualTo("00");
    }

    @Test
    void combinesEcnIntoTheIpv6TrafficClass() {
        TestPackets.Ipv6 b = new TestPackets.Ipv6();
        b.trafficClass = 0xba;
        b.flowLabel = 0xfffff;
        byte[] inner = b.build();
        ByteBuffer buf = inBuffer(inner);

        assertThat(decapsulator.decapsulateIpv6Payload(buf, HEADROOM, inner.length, 41, 0x03, D6_HI, D6_LO))
                .isEqualTo(Verdict.OK.code());
        assertThat(TestPackets.hex(buf, HEADROOM, 4)).isEqualTo("6bbfffff");
    }

    /** Tunnels an IPv4 packet with inner TOS {@code tos}, sets the outer ECN, decapsulates; returns inner TOS hex. */
    private String decapWithOuterEcn(int tos, int outerEcn) {
        TestPackets.Ipv4 b = new TestPackets.Ipv4();
        b.tos = tos;
        ByteBuffer buf = tunnelled(b.build(), LB7_4);
        int o = encapsulator.start();
        NetworkOrder.put8(buf, o + 1, (NetworkOrder.u8(buf, o + 1) & 0xfc) | outerEcn);
        NetworkOrder.put16(buf, o + 10, Checksums.ipv4Header(buf, o, 20));
        int verdict = decapsulator.decapsulateIpv4(buf, o, encapsulator.length());
        if (verdict != Verdict.OK.code()) {
            return Verdict.valueOf(verdict).name();
        }
        byte[] header = new byte[20];
        buf.get(HEADROOM, header);
        assertThat(TestPackets.internetChecksum(header, 0, 20)).as("inner checksum after ECN rewrite").isZero();
        return TestPackets.hex(buf, HEADROOM + 1, 1);
    }

    /** An outer IPv4 header (198.51.100.1 -> 198.51.100.7, protocol {@code protocol}) around {@code inner}. */
    static byte[] ipv4Tunnel(byte[] inner, int protocol) {
        TestPackets.Ipv4 outer = new TestPackets.Ipv4().payload(protocol, inner);
        outer.src = new byte[] {(byte) 198, 51, 100, 1};
        outer.dst = new byte[] {(byte) 198, 51, 100, 7};
        return outer.build();
    }

    @Test
    void vipSetMatchesBothFamiliesOnly() {
        assertThat(VIPS.size()).isEqualTo(3);
        assertThat(VIPS.containsIpv4(0xcb00710a)).isTrue();
        assertThat(VIPS.containsIpv4(0xcb00710b)).isTrue();
        assertThat(VIPS.containsIpv4(0xcb00710c)).isFalse();
        assertThat(VIPS.contains(0x20010db8_00000001L, 0x10L)).isTrue();
        assertThat(VIPS.contains(0x20010db8_00000001L, 0x11L)).isFalse();
        // ::203.0.113.10 (IPv4-compatible) is not the IPv4 VIP; only the mapped form is.
        assertThat(VIPS.contains(0, 0xcb00710aL)).isFalse();
        assertThat(VipSet.of(List.of()).containsIpv4(0)).isFalse();
        assertThat(VipSet.of(List.of(address("203.0.113.10"), address("203.0.113.10"))).size()).isEqualTo(1);
    }

    @Test
    void vipSetHoldsManyAddresses() {
        List<InetAddress> many = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(address("2001:db8:1::" + Integer.toHexString(i)));
        }
        VipSet set = VipSet.of(many);

        assertThat(set.size()).isEqualTo(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(set.contains(0x20010db8_00010000L, i)).isTrue();
        }
        assertThat(set.contains(0x20010db8_00010000L, 1000)).isFalse();
    }
}
