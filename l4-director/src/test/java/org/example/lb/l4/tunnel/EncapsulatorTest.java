package org.example.lb.l4.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.example.lb.l4.packet.TestPackets.HEADROOM;
import static org.example.lb.l4.packet.TestPackets.inBuffer;
import static org.example.lb.l4.packet.TestPackets.udp;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.example.lb.l4.packet.PacketView;
import org.example.lb.l4.packet.TestPackets;
import org.example.lb.l4.packet.Verdict;
import org.junit.jupiter.api.Test;

class EncapsulatorTest {
    static final TunnelEndpoint DIRECTOR4 = endpoint("198.51.100.1");
    static final TunnelEndpoint DIRECTOR6 = endpoint("2001:db8:ffff::1");
    static final TunnelEndpoint LB7_4 = endpoint("198.51.100.7");
    static final TunnelEndpoint LB7_6 = endpoint("2001:db8:ffff::7");

    private final PacketView view = PacketView.forForwarding();
    private final Encapsulator encapsulator =
            Encapsulator.create(Optional.of(DIRECTOR4), Optional.of(DIRECTOR6), 1500, 0x0100);

    static TunnelEndpoint endpoint(String literal) {
        try {
            return TunnelEndpoint.of(InetAddress.getByName(literal));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private ByteBuffer parsed(byte[] packet) {
        ByteBuffer buf = inBuffer(packet);
        assertThat(view.parse(buf, HEADROOM, packet.length)).isEqualTo(Verdict.OK.code());
        return buf;
    }

    @Test
    void writesTheOuterIpv4HeaderByteForByte() {
        TestPackets.Ipv4 b = new TestPackets.Ipv4();
        b.tos = 0xba; // DSCP EF, ECT(0)
        byte[] inner = b.build();
        ByteBuffer buf = parsed(inner);

        assertThat(encapsulator.encapsulate(buf, view, LB7_4)).isEqualTo(Verdict.OK.code());

        assertThat(encapsulator.start()).isEqualTo(HEADROOM - 20);
        assertThat(encapsulator.length()).isEqualTo(inner.length + 20);
        // version/IHL, TOS copied, total 60, id 0x0100, DF copied, TTL 64, protocol 4, checksum, src, dst
        assertThat(TestPackets.hex(buf, encapsulator.start(), 20))
                .isEqualTo("45ba003c010040004004e494c6336401c6336407");
        byte[] outer = new byte[20];
        buf.get(encapsulator.start(), outer);
        assertThat(TestPackets.internetChecksum(outer, 0, 20)).isZero();
        assertThat(TestPackets.hex(buf, HEADROOM, inner.length)).isEqualTo(java.util.HexFormat.of().formatHex(inner));
    }

    @Test
    void copiesDfAndCountsIdentificationPerPacket() {
        TestPackets.Ipv4 b = new TestPackets.Ipv4();
        b.flagsOffset = 0;
        ByteBuffer buf = parsed(b.build());
        assertThat(encapsulator.encapsulate(buf, view, LB7_4)).isEqualTo(Verdict.OK.code());
        assertThat(TestPackets.hex(buf, encapsulator.start() + 4, 4)).isEqualTo("01000000");

        buf = parsed(new TestPackets.Ipv4().build());
        assertThat(encapsulator.encapsulate(buf, view, LB7_4)).isEqualTo(Verdict.OK.code());
        assertThat(TestPackets.hex(buf, encapsulator.start() + 4, 4)).isEqualTo("01014000");
    }

    @Test
    void identificationWrapsAt16Bits() {
        Encapsulator wrapping = Encapsulator.create(Optional.of(DIRECTOR4), Optional.empty(), 1500, 0xffff);
        ByteBuffer buf = parsed(new TestPackets.Ipv4().build());
        wrapping.encapsulate(buf, view, LB7_4);
        assertThat(TestPackets.hex(buf, wrapping.start() + 4, 2)).isEqualTo("ffff");
        wrapping.encapsulate(buf, view, LB7_4);
        assertThat(TestPackets.hex(buf, wrapping.start() + 4, 2)).isEqualTo("0000");
    }

    @Test
    void writesTheOuterIpv6HeaderByteForByte() {
        TestPackets.Ipv6 b = new TestPackets.Ipv6();
        b.trafficClass = 0xb9;
        b.flowLabel = 0xabcde;
        byte[] inner = b.build();
        ByteBuffer buf = parsed(inner);
        int label = view.flowHash() & 0xfffff;

        assertThat(encapsulator.encapsulate(buf, view, LB7_6)).isEqualTo(Verdict.OK.code());

        assertThat(encapsulator.start()).isZero();
        assertThat(encapsulator.length()).isEqualTo(inner.length + 40);
        assertThat(label).isNotZero();
        assertThat(TestPackets.hex(buf, 0, 4)).isEqualTo(String.format("%08x", 6 << 28 | 0xb9 << 20 | label));
        // payload length, next header 41, hop limit 64, source, destination
        assertThat(TestPackets.hex(buf, 4, 36)).isEqualTo(String.format("%04x", inner.length) + "2940"
                + "20010db8ffff00000000000000000001" + "20010db8ffff00000000000000000007");
        assertThat(TestPackets.hex(buf, HEADROOM, inner.length)).isEqualTo(java.util.HexFormat.of().formatHex(inner));
    }

    @Test
    void flowLabelFollowsTheInnerFlowNotTheInnerLabel() {
        TestPackets.Ipv6 b = new TestPackets.Ipv6();
        ByteBuffer first = parsed(b.payload(17, udp(1000, 53, 0)).build());
        encapsulator.encapsulate(first, view, LB7_6);
        String labelA = TestPackets.hex(first, 1, 3);
        b.flowLabel = 0x55555;
        ByteBuffer again = parsed(b.build());
        encapsulator.encapsulate(again, view, LB7_6);
        ByteBuffer other = parsed(b.payload(17, udp(1001, 53, 0)).build());
        encapsulator.encapsulate(other, view, LB7_6);

        assertThat(TestPackets.hex(again, 1, 3)).isEqualTo(labelA);
        assertThat(TestPackets.hex(other, 1, 3)).isNotEqualTo(labelA);
    }

    @Test
    void carriesIpv6InIpv4WithProtocol41AndDf() {
        ByteBuffer buf = parsed(new TestPackets.Ipv6().build());

        assertThat(encapsulator.encapsulate(buf, view, LB7_4)).isEqualTo(Verdict.OK.code());
        assertThat(TestPackets.hex(buf, encapsulator.start() + 6, 4)).isEqualTo("40004029");
    }

    @Test
    void refusesPacketsOverTheMtuAndAcceptsAnExactFit() {
        Encapsulator small = Encapsulator.create(Optional.of(DIRECTOR4), Optional.of(DIRECTOR6), 1280, 0);
        byte[] fits4 = new TestPackets.Ipv4().payload(17, udp(1, 2, 1280 - 20 - 20 - 8)).build();
        byte[] over4 = new TestPackets.Ipv4().payload(17, udp(1, 2, 1280 - 20 - 20 - 8 + 1)).build();
        byte[] fits6 = new TestPackets.Ipv6().payload(17, udp(1, 2, 1280 - 40 - 40 - 8)).build();
        byte[] over6 = new TestPackets.Ipv6().payload(17, udp(1, 2, 1280 - 40 - 40 - 8 + 1)).build();

        assertThat(small.encapsulate(parsed(fits4), view, LB7_4)).isEqualTo(Verdict.OK.code());
        assertThat(small.length()).isEqualTo(1280);
        assertThat(small.encapsulate(parsed(over4), view, LB7_4)).isEqualTo(Verdict.TOO_BIG.code());
        assertThat(small.encapsulate(parsed(fits6), view, LB7_6)).isEqualTo(Verdict.OK.code());
        assertThat(small.length()).isEqualTo(1280);
        assertThat(small.encapsulate(parsed(over6), view, LB7_6)).isEqualTo(Verdict.TOO_BIG.code());
    }

    @Test
    void needsHeadroomAndASourceOfTheRightFamily() {
        byte[] packet = new TestPackets.Ipv4().build();
        ByteBuffer buf = ByteBuffer.allocateDirect(100);
        buf.put(30, packet);
        assertThat(view.parse(buf, 30, packet.length)).isEqualTo(Verdict.OK.code());

        assertThat(encapsulator.encapsulate(buf, view, LB7_4)).isEqualTo(Verdict.OK.code());
        assertThat(encapsulator.encapsulate(buf, view, LB7_6)).isEqualTo(Verdict.NO_HEADROOM.code());
        Encapsulator v4Only = Encapsulator.create(Optional.of(DIRECTOR4), Optional.empty(), 1500, 0);
        assertThat(v4Only.encapsulate(parsed(packet), view, LB7_6)).isEqualTo(Verdict.NO_SOURCE_ADDRESS.code());
        assertThat(encapsulator.encapsulate(buf, PacketView.forForwarding(), LB7_4))
                .isEqualTo(Verdict.BAD_VERSION.code());
    }

    @Test
    void rejectsConfigurationMistakesWithOneLine() {
        assertThatThrownBy(() -> Encapsulator.create(Optional.of(DIRECTOR6), Optional.empty(), 1500, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ipv4Source");
        assertThatThrownBy(() -> Encapsulator.create(Optional.empty(), Optional.empty(), 100, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mtu");
    }
}
