package org.example.lb.l4.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.example.lb.l4.packet.TestPackets.HEADROOM;
import static org.example.lb.l4.packet.TestPackets.inBuffer;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.example.lb.l4.packet.PacketView;
import org.example.lb.l4.packet.TestPackets;
import org.example.lb.l4.packet.Verdict;
import org.junit.jupiter.api.Test;

class IcmpTooBigTest {
    private final PacketView view = PacketView.forForwarding();
    private final ByteBuffer out = ByteBuffer.allocateDirect(2048);

    private ByteBuffer tooBig(byte[] packet, int mtu, TunnelEndpoint lb7) {
        ByteBuffer in = inBuffer(packet);
        assertThat(view.parse(in, HEADROOM, packet.length)).isEqualTo(Verdict.OK.code());
        Encapsulator encapsulator = Encapsulator.create(Optional.of(EncapsulatorTest.DIRECTOR4),
                Optional.of(EncapsulatorTest.DIRECTOR6), mtu, 0);
        assertThat(encapsulator.encapsulate(in, view, lb7)).isEqualTo(Verdict.TOO_BIG.code());
        return in;
    }

    @Test
    void answersIpv4WithFragmentationNeededFromTheVip() {
        byte[] packet = new TestPackets.Ipv4().payload(6, TestPackets.tcp(40000, 443, 0x10, 1400 - 40)).build();
        ByteBuffer in = tooBig(packet, 1400, EncapsulatorTest.LB7_4);

        int length = IcmpTooBig.write(in, view, 1400, 20, out, 8);

        assertThat(length).isEqualTo(576);
        byte[] error = new byte[length];
        out.get(8, error);
        String hex = TestPackets.hex(out, 8, 28);
        assertThat(hex.substring(0, 20)).isEqualTo("45c00240000000004001"); // TOS 0xc0, 576 bytes, TTL 64, ICMP
        assertThat(hex.substring(24, 40)).isEqualTo("cb00710ac0000201"); // from the VIP to the client
        assertThat(hex.substring(40, 44)).isEqualTo("0304");
        assertThat(hex.substring(48, 56)).isEqualTo("00000564"); // next-hop MTU 1380
        assertThat(TestPackets.internetChecksum(error, 0, 20)).isZero();
        assertThat(TestPackets.internetChecksum(error, 20, length - 20)).isZero();
        assertThat(TestPackets.hex(out, 8 + 28, 548)).isEqualTo(TestPackets.hex(in, HEADROOM, 548));
    }

    @Test
    void answersIpv6WithPacketTooBigWithinTheMinimumMtu() {
        byte[] packet = new TestPackets.Ipv6().payload(17, TestPackets.udp(5000, 443, 1400 - 48)).build();
        ByteBuffer in = tooBig(packet, 1400, EncapsulatorTest.LB7_6);

        int length = IcmpTooBig.write(in, view, 1400, 40, out, 0);

        assertThat(length).isEqualTo(1280);
        byte[] error = new byte[length];
        out.get(0, error);
        assertThat(TestPackets.hex(out, 0, 8)).isEqualTo("6000000004d83a40"); // payload 1240, ICMPv6, hop 64
        assertThat(TestPackets.hex(out, 8, 32))
                .isEqualTo("20010db8000000010000000000000010" + "20010db8000000000000000000000001");
        assertThat(TestPackets.hex(out, 40, 2)).isEqualTo("0200");
        assertThat(TestPackets.hex(out, 44, 4)).isEqualTo("00000550"); // MTU 1360
        // Independent checksum: pseudo-header (src, dst, length, next header) + ICMPv6 message must sum to 0.
        byte[] pseudo = new byte[40 + 1240];
        System.arraycopy(error, 8, pseudo, 0, 32);
        pseudo[34] = (byte) (1240 >>> 8);
        pseudo[35] = (byte) 1240;
        pseudo[39] = 58;
        System.arraycopy(error, 40, pseudo, 40, 1240);
        assertThat(TestPackets.internetChecksum(pseudo, 0, pseudo.length)).isZero();
        assertThat(TestPackets.hex(out, 48, 1232)).isEqualTo(TestPackets.hex(in, HEADROOM, 1232));
    }

    @Test
    void advertisesAtLeastTheIpv6MinimumMtu() {
        byte[] packet = new TestPackets.Ipv6().payload(17, TestPackets.udp(5000, 443, 1300)).build();
        ByteBuffer in = tooBig(packet, 1300, EncapsulatorTest.LB7_6);

        assertThat(IcmpTooBig.write(in, view, 1300, 40, out, 0)).isPositive();
        assertThat(TestPackets.hex(out, 44, 4)).isEqualTo("00000500");
    }

    @Test
    void staysSilentForIcmpErrorsMulticastSourcesAndShortOutput() {
        byte[] unreachable = new TestPackets.Ipv4().payload(1, TestPackets.hex("03010000 00000000")).build();
        ByteBuffer in = inBuffer(unreachable);
        view.parse(in, HEADROOM, unreachable.length);
        assertThat(IcmpTooBig.write(in, view, 1500, 20, out, 0)).isZero();

        byte[] echo = new TestPackets.Ipv4().payload(1, TestPackets.hex("08000000 00000000")).build();
        in = inBuffer(echo);
        view.parse(in, HEADROOM, echo.length);
        assertThat(IcmpTooBig.write(in, view, 1500, 20, out, 0)).isEqualTo(28 + echo.length);
        assertThat(IcmpTooBig.write(in, view, 1500, 20, out, out.limit() - 10)).isZero();

        byte[] v6Error = new TestPackets.Ipv6().payload(58, TestPackets.hex("01000000 00000000")).build();
        in = inBuffer(v6Error);
        view.parse(in, HEADROOM, v6Error.length);
        assertThat(IcmpTooBig.write(in, view, 1500, 40, out, 0)).isZero();

        TestPackets.Ipv4 multicast = new TestPackets.Ipv4();
        multicast.src = new byte[] {(byte) 224, 0, 0, 1};
        byte[] m = multicast.build();
        in = inBuffer(m);
        view.parse(in, HEADROOM, m.length);
        assertThat(IcmpTooBig.write(in, view, 1500, 20, out, 0)).isZero();

        assertThat(IcmpTooBig.write(in, PacketView.forForwarding(), 1500, 20, out, 0)).isZero();
    }
}
