package org.example.lb.l4.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.example.lb.l4.packet.TestPackets.HEADROOM;
import static org.example.lb.l4.packet.TestPackets.hex;
import static org.example.lb.l4.packet.TestPackets.inBuffer;
import static org.example.lb.l4.packet.TestPackets.tcp;
import static org.example.lb.l4.packet.TestPackets.udp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class PacketViewTest {
    private final PacketView view = PacketView.forForwarding();
    private final DropCounters counters = new DropCounters();

    private Verdict parse(byte[] packet) {
        return parse(inBuffer(packet), HEADROOM, packet.length);
    }

    private Verdict parse(ByteBuffer buf, int off, int len) {
        int code = view.parse(buf, off, len);
        counters.count(code);
        return Verdict.valueOf(code);
    }

    private Verdict parseExpectingCount(byte[] packet, Verdict expected) {
        long before = counters.get(expected);
        Verdict verdict = parse(packet);
        assertThat(counters.get(expected)).isEqualTo(before + (verdict.equals(expected) ? 1 : 0));
        return verdict;
    }

    @Test
    void exposesTcpSynOverIpv4() {
        byte[] packet = new TestPackets.Ipv4().build();

        assertThat(parse(packet)).isEqualTo(Verdict.OK);
        assertThat(view.version()).isEqualTo(4);
        assertThat(view.start()).isEqualTo(HEADROOM);
        assertThat(view.headerLength()).isEqualTo(20);
        assertThat(view.totalLength()).isEqualTo(40);
        assertThat(view.protocol()).isEqualTo(6);
        assertThat(view.hopLimit()).isEqualTo(64);
        assertThat(view.dontFragment()).isTrue();
        assertThat(view.fragment()).isEqualTo(PacketView.NOT_FRAGMENT);
        assertThat(view.ipv4Source()).isEqualTo(0xc0000201);
        assertThat(view.ipv4Destination()).isEqualTo(0xcb00710a);
        assertThat(view.sourceHigh()).isZero();
        assertThat(view.sourceLow()).isEqualTo(0x0000_ffff_c000_0201L);
        assertThat(view.hasPorts()).isTrue();
        assertThat(view.sourcePort()).isEqualTo(40000);
        assertThat(view.destinationPort()).isEqualTo(443);
        assertThat(view.isTcpSyn()).isTrue();
        assertThat(view.isTcpFin()).isFalse();
        assertThat(view.isTcpRst()).isFalse();
        byte[] address = new byte[16];
        assertThat(view.copySource(address, 1)).isEqualTo(4);
        assertThat(address).startsWith(0, (byte) 192, 0, 2, 1, 0);
        assertThat(view.copyDestination(address, 0)).isEqualTo(4);
        assertThat(address).startsWith((byte) 203, 0, 113, 10);
    }

    @Test
    void readsNetworkOrderWhateverTheBufferOrder() {
        byte[] packet = new TestPackets.Ipv4().build();
        ByteBuffer buf = inBuffer(packet).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(parse(buf, HEADROOM, packet.length)).isEqualTo(Verdict.OK);
        assertThat(view.destinationPort()).isEqualTo(443);
    }

    @Test
    void skipsIpv4OptionsAndIgnoresTrailingPadding() {
        TestPackets.Ipv4 b = new TestPackets.Ipv4().payload(6, tcp(1, 2, PacketView.TCP_FIN | PacketView.TCP_ACK, 3));
        b.options = hex("94040000 01010100"); // router alert + NOPs + EOL
        byte[] packet = b.build();
        byte[] padded = java.util.Arrays.copyOf(packet, packet.length + 6);

        assertThat(parse(padded)).isEqualTo(Verdict.OK);
        assertThat(view.headerLength()).isEqualTo(28);
        assertThat(view.totalLength()).isEqualTo(packet.length);
        assertThat(view.sourcePort()).isEqualTo(1);
        assertThat(view.destinationPort()).isEqualTo(2);
        assertThat(view.isTcpFin()).isTrue();
        assertThat(view.isTcpSyn()).isFalse();
    }

    @Test
    void nonTcpUdpProtocolsHaveNoPorts() {
        byte[] packet = new TestPackets.Ipv4().payload(1, hex("0800f7ff00000000")).build();

        assertThat(parse(packet)).isEqualTo(Verdict.OK);
        assertThat(view.protocol()).isEqualTo(1);
        assertThat(view.hasPorts()).isFalse();
    }

    @Test
    void malformedIpv4GivesSpecificVerdicts() {
        byte[] good = new TestPackets.Ipv4().build();

        assertThat(parseExpectingCount(java.util.Arrays.copyOf(good, 19), Verdict.TRUNCATED))
                .isEqualTo(Verdict.TRUNCATED);
        assertThat(parseExpectingCount(withByte(good, 0, 0x55), Verdict.BAD_VERSION)).isEqualTo(Verdict.BAD_VERSION);
        assertThat(parseExpectingCount(withByte(good, 0, 0x44), Verdict.BAD_IHL)).isEqualTo(Verdict.BAD_IHL);
        assertThat(parseExpectingCount(withByte(good, 0, 0x4f), Verdict.TRUNCATED)).isEqualTo(Verdict.TRUNCATED);
        assertThat(parseExpectingCount(with16(good, 2, 19), Verdict.BAD_TOTAL_LENGTH))
                .isEqualTo(Verdict.BAD_TOTAL_LENGTH);
        assertThat(parseExpectingCount(with16(good, 2, good.length + 1), Verdict.TRUNCATED))
                .isEqualTo(Verdict.TRUNCATED);
        assertThat(parseExpectingCount(withByte(good, 11, good[11] ^ 1), Verdict.BAD_CHECKSUM))
                .isEqualTo(Verdict.BAD_CHECKSUM);
    }

    @Test
    void ttlOfOneIsExpiredForAForwarderButDeliverable() {
        TestPackets.Ipv4 b = new TestPackets.Ipv4();
        b.ttl = 1;
        byte[] packet = b.build();

        assertThat(parseExpectingCount(packet, Verdict.TTL_EXPIRED)).isEqualTo(Verdict.TTL_EXPIRED);
        assertThat(view.ipv4Destination()).isEqualTo(0xcb00710a);
        assertThat(PacketView.forDelivery().parse(inBuffer(packet), HEADROOM, packet.length))
                .isEqualTo(Verdict.OK.code());
        b.ttl = 0;
        assertThat(parse(b.build())).isEqualTo(Verdict.TTL_EXPIRED);
        b.ttl = 2;
        assertThat(parse(b.build())).isEqualTo(Verdict.OK);
    }

    @Test
    void ipv4FragmentsAreReportedWithAddressesButNoPorts() {
        TestPackets.Ipv4 b = new TestPackets.Ipv4();
        b.flagsOffset = 0x2000; // MF, offset 0: first fragment
        assertThat(parseExpectingCount(b.build(), Verdict.FRAGMENT)).isEqualTo(Verdict.FRAGMENT);
        assertThat(view.fragment()).isEqualTo(PacketView.FIRST_FRAGMENT);
        assertThat(view.hasPorts()).isFalse();
        assertThat(view.ipv4Source()).isEqualTo(0xc0000201);
        assertThat(view.protocol()).isEqualTo(6);

        b.flagsOffset = 0x0003; // last fragment, offset 24 bytes
        b.payload = new byte[3];
        assertThat(parse(b.build())).isEqualTo(Verdict.FRAGMENT);
        assertThat(view.fragment()).isEqualTo(PacketView.LATER_FRAGMENT);
        assertThat(view.dontFragment()).isFalse();
    }

    @Test
    void incompleteTransportHeadersAreDropped() {
        assertThat(parse(new TestPackets.Ipv4().payload(6, new byte[19]).build())).isEqualTo(Verdict.TRUNCATED);
        byte[] shortOffset = tcp(1, 2, 0, 0);
        shortOffset[12] = 0x40;
        assertThat(parse(new TestPackets.Ipv4().payload(6, shortOffset).build())).isEqualTo(Verdict.BAD_L4_HEADER);
        byte[] longOffset = tcp(1, 2, 0, 0);
        longOffset[12] = (byte) 0x60;
        assertThat(parse(new TestPackets.Ipv4().payload(6, longOffset).build())).isEqualTo(Verdict.BAD_L4_HEADER);
        assertThat(parse(new TestPackets.Ipv4().payload(17, new byte[7]).build())).isEqualTo(Verdict.TRUNCATED);
        byte[] udpTooLong = udp(1, 2, 0);
        udpTooLong[5] = 9;
        assertThat(parse(new TestPackets.Ipv4().payload(17, udpTooLong).build())).isEqualTo(Verdict.BAD_L4_HEADER);
        assertThat(parse(new TestPackets.Ipv4().payload(132, new byte[11]).build())).isEqualTo(Verdict.TRUNCATED);
    }

    @Test
    void regionsOutsideTheBufferAreTruncatedNotExceptions() {
        byte[] packet = new TestPackets.Ipv4().build();
        ByteBuffer buf = inBuffer(packet);

        assertThat(parse(buf, HEADROOM, packet.length + 1)).isEqualTo(Verdict.TRUNCATED);
        assertThat(parse(buf, -1, 10)).isEqualTo(Verdict.TRUNCATED);
        assertThat(parse(buf, HEADROOM, -5)).isEqualTo(Verdict.TRUNCATED);
        assertThat(parse(buf, HEADROOM, 0)).isEqualTo(Verdict.TRUNCATED);
        assertThat(parse(buf, Integer.MAX_VALUE, 10)).isEqualTo(Verdict.TRUNCATED);
        assertThat(parse(buf, 10, Integer.MAX_VALUE)).isEqualTo(Verdict.TRUNCATED);
    }

    @Test
    void exposesUdpOverIpv6() {
        TestPackets.Ipv6 b = new TestPackets.Ipv6();
        b.trafficClass = 0xb9;
        b.flowLabel = 0x12345;
        byte[] packet = b.build();

        assertThat(parse(packet)).isEqualTo(Verdict.OK);
        assertThat(view.version()).isEqualTo(6);
        assertThat(view.headerLength()).isEqualTo(40);
        assertThat(view.totalLength()).isEqualTo(packet.length);
        assertThat(view.protocol()).isEqualTo(17);
        assertThat(view.trafficClass()).isEqualTo(0xb9);
        assertThat(view.flowLabel()).isEqualTo(0x12345);
        assertThat(view.sourceHigh()).isEqualTo(0x20010db8_00000000L);
        assertThat(view.sourceLow()).isEqualTo(1L);
        assertThat(view.destinationHigh()).isEqualTo(0x20010db8_00000001L);
        assertThat(view.destinationLow()).isEqualTo(0x10L);
        assertThat(view.ipv4Destination()).isZero();
        assertThat(view.sourcePort()).isEqualTo(50000);
        assertThat(view.destinationPort()).isEqualTo(53);
        byte[] address = new byte[16];
        assertThat(view.copyDestination(address, 0)).isEqualTo(16);
        assertThat(address).isEqualTo(b.dst);
    }

    @Test
    void walksIpv6ExtensionHeadersToTheTransportHeader() {
        byte[] packet = new TestPackets.Ipv6().extension(0, 8).extension(60, 16).extension(43, 8).extension(51, 12)
                .payload(6, tcp(1234, 80, PacketView.TCP_RST, 0)).build();

        assertThat(parse(packet)).isEqualTo(Verdict.OK);
        assertThat(view.headerLength()).isEqualTo(40 + 8 + 16 + 8 + 12);
        assertThat(view.protocol()).isEqualTo(6);
        assertThat(view.sourcePort()).isEqualTo(1234);
        assertThat(view.isTcpRst()).isTrue();
    }

    @Test
    void boundsTheExtensionHeaderWalk() {
        TestPackets.Ipv6 eight = new TestPackets.Ipv6();
        TestPackets.Ipv6 nine = new TestPackets.Ipv6();
        for (int i = 0; i < PacketView.MAX_EXTENSION_HEADERS; i++) {
            eight.extension(60, 8);
            nine.extension(60, 8);
        }
        nine.extension(60, 8);

        assertThat(parse(eight.build())).isEqualTo(Verdict.OK);
        assertThat(parseExpectingCount(nine.build(), Verdict.EXT_HEADER_CHAIN_TOO_LONG))
                .isEqualTo(Verdict.EXT_HEADER_CHAIN_TOO_LONG);
    }

    @Test
    void extensionHeaderThatPointsToItselfEndsAsTooLongOrTruncated() {
        // Destination options whose next header is 60 again, repeated until the payload ends: a "loop".
        byte[] loop = new TestPackets.Ipv6().payload(60, new byte[0]).extension(60, 8).build();
        assertThat(parse(loop)).isEqualTo(Verdict.TRUNCATED);
        byte[] longLoop = new TestPackets.Ipv6().payload(60, new byte[64 * 8]).extension(60, 8).build();
        for (int i = 48; i < longLoop.length; i += 8) {
            longLoop[i] = 60;
        }
        assertThat(parse(longLoop)).isEqualTo(Verdict.EXT_HEADER_CHAIN_TOO_LONG);
    }

    @Test
    void malformedIpv6GivesSpecificVerdicts() {
        byte[] good = new TestPackets.Ipv6().build();
        assertThat(parse(java.util.Arrays.copyOf(good, 39))).isEqualTo(Verdict.TRUNCATED);
        assertThat(parse(with16(good, 4, good.length - 39))).isEqualTo(Verdict.TRUNCATED);
        assertThat(parse(withByte(good, 0, 0x70))).isEqualTo(Verdict.BAD_VERSION);
        assertThat(parse(new TestPackets.Ipv6().extension(60, 8).extension(0, 8).build()))
                .isEqualTo(Verdict.BAD_EXT_HEADER);
        byte[] routing = new byte[8];
        routing[3] = 1; // segments left
        assertThat(parse(new TestPackets.Ipv6().extension(43, routing).build())).isEqualTo(Verdict.BAD_EXT_HEADER);
        // Extension header claiming 16 bytes in a 12-byte payload, and one with fewer than 8 bytes left.
        assertThat(parse(new TestPackets.Ipv6().payload(17, new byte[0]).extension(60, hex("11010000 00000000 00000000"))
                .build())).isEqualTo(Verdict.TRUNCATED);
        assertThat(parse(new TestPackets.Ipv6().payload(60, new byte[4]).build())).isEqualTo(Verdict.TRUNCATED);
    }

    @Test
    void hopLimitOfOneIsExpiredForAForwarder() {
        TestPackets.Ipv6 b = new TestPackets.Ipv6();
        b.hopLimit = 1;
        assertThat(parseExpectingCount(b.build(), Verdict.TTL_EXPIRED)).isEqualTo(Verdict.TTL_EXPIRED);
    }

    @Test
    void ipv6FragmentsAreReportedAtomicFragmentsAreNot() {
        assertThat(parse(new TestPackets.Ipv6().fragment(0, true).build())).isEqualTo(Verdict.FRAGMENT);
        assertThat(view.fragment()).isEqualTo(PacketView.FIRST_FRAGMENT);
        assertThat(view.protocol()).isEqualTo(17);

        assertThat(parse(new TestPackets.Ipv6().fragment(100, false).payload(17, new byte[3]).build()))
                .isEqualTo(Verdict.FRAGMENT);
        assertThat(view.fragment()).isEqualTo(PacketView.LATER_FRAGMENT);
        assertThat(view.protocol()).isEqualTo(17);
        assertThat(view.headerLength()).isEqualTo(48);
        assertThat(view.hasPorts()).isFalse();

        assertThat(parse(new TestPackets.Ipv6().fragment(0, false).build())).isEqualTo(Verdict.OK);
        assertThat(view.fragment()).isEqualTo(PacketView.NOT_FRAGMENT);
        assertThat(view.destinationPort()).isEqualTo(53);
    }

    @Test
    void flowHashDependsOnPortsAndAddresses() {
        parse(new TestPackets.Ipv4().payload(6, tcp(1000, 80, 0, 0)).build());
        int a = view.flowHash();
        parse(new TestPackets.Ipv4().payload(6, tcp(1000, 80, 0, 0)).build());
        int same = view.flowHash();
        parse(new TestPackets.Ipv4().payload(6, tcp(1001, 80, 0, 0)).build());
        int otherPort = view.flowHash();

        assertThat(same).isEqualTo(a);
        assertThat(otherPort).isNotEqualTo(a);
    }

    static byte[] withByte(byte[] packet, int index, int value) {
        byte[] copy = packet.clone();
        copy[index] = (byte) value;
        return copy;
    }

    static byte[] with16(byte[] packet, int index, int value) {
        byte[] copy = packet.clone();
        TestPackets.put16(copy, index, value);
        return copy;
    }
}
