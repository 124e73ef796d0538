package org.example.lb.l4.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.example.lb.l4.packet.TestPackets.HEADROOM;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.example.lb.l4.packet.DropCounters;
import org.example.lb.l4.packet.PacketView;
import org.example.lb.l4.packet.TestPackets;
import org.example.lb.l4.packet.Verdict;
import org.junit.jupiter.api.Test;

/** Random and mutated packets through parse, encapsulate and decapsulate: never an exception, always a known code. */
class PacketPathFuzzTest {
    private static final int ROUNDS = 100_000;

    static List<byte[]> seeds() {
        TestPackets.Ipv4 options = new TestPackets.Ipv4();
        options.options = new byte[] {1, 1, 1, 0};
        return List.of(
                new TestPackets.Ipv4().build(),
                options.build(),
                new TestPackets.Ipv4().payload(17, TestPackets.udp(5, 6, 30)).build(),
                new TestPackets.Ipv6().build(),
                new TestPackets.Ipv6().extension(0, 8).extension(60, 16).fragment(0, false).extension(43, 8)
                        .payload(6, TestPackets.tcp(1, 2, 2, 10)).build(),
                new TestPackets.Ipv6().fragment(3, true).build(),
                DecapsulatorTest.ipv4Tunnel(new TestPackets.Ipv4().build(), 4),
                DecapsulatorTest.ipv4Tunnel(new TestPackets.Ipv6().build(), 41));
    }

    @Test
    void randomAndMutatedPacketsNeverThrowAndAlwaysGetAKnownVerdict() {
        Random random = new Random(20260422L);
        List<byte[]> seeds = seeds();
        PacketView view = PacketView.forForwarding();
        Encapsulator encapsulator = Encapsulator.create(Optional.of(EncapsulatorTest.DIRECTOR4),
                Optional.of(EncapsulatorTest.DIRECTOR6), 1500, 0);
        Decapsulator decapsulator = Decapsulator.create(DecapsulatorTest.VIPS, Optional.of(DecapsulatorTest.DIRECTORS));
        DropCounters counters = new DropCounters();
        ByteBuffer buf = ByteBuffer.allocateDirect(HEADROOM + 2048);
        ByteBuffer icmpOut = ByteBuffer.allocateDirect(2048);
        long calls = 0;
        int ok = 0;

        for (int round = 0; round < ROUNDS; round++) {
            byte[] packet;
            if (random.nextInt(10) == 0) {
                packet = new byte[random.nextInt(120)];
                random.nextBytes(packet);
            } else {
                packet = seeds.get(random.nextInt(seeds.size())).clone();
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips && packet.length > 0; f++) {
                    packet[random.nextInt(packet.length)] = (byte) random.nextInt(256);
                }
            }
            buf.clear();
            buf.put(HEADROOM, packet);
            int off = random.nextInt(20) == 0 ? random.nextInt(HEADROOM + 2048) - 10 : HEADROOM;
            int len = random.nextInt(8) == 0 ? random.nextInt(packet.length + 20) - 10 : packet.length;
            buf.limit(random.nextInt(8) == 0 ? random.nextInt(buf.capacity()) : HEADROOM + packet.length);

            int verdict = known(view.parse(buf, off, len));
            counters.count(verdict);
            calls++;
            if (verdict == Verdict.OK.code()) {
                ok++;
                assertThat(view.totalLength()).isLessThanOrEqualTo(len);
                assertThat(view.headerLength()).isLessThanOrEqualTo(view.totalLength());
                assertThat(IcmpTooBig.write(buf, view, 1500, 20, icmpOut, random.nextInt(1200)))
                        .isBetween(0, IcmpTooBig.MAX_IPV6_ERROR);
                TunnelEndpoint lb7 = random.nextBoolean() ? EncapsulatorTest.LB7_4 : EncapsulatorTest.LB7_6;
                int encap = known(encapsulator.encapsulate(buf, view, lb7));
                counters.count(encap);
                calls++;
                if (encap == Verdict.OK.code()) {
                    int decap = lb7.isIpv4()
                            ? decapsulator.decapsulateIpv4(buf, encapsulator.start(), encapsulator.length())
                            : decapsulator.decapsulateIpv6(buf, encapsulator.start(), encapsulator.length());
                    assertThat(decap).isIn(Verdict.OK.code(), Verdict.UNKNOWN_VIP.code());
                    counters.count(decap);
                    calls++;
                }
            }
            counters.count(known(decapsulator.decapsulateIpv4(buf, off, len)));
            counters.count(known(decapsulator.decapsulateIpv6(buf, off, len)));
            counters.count(known(decapsulator.decapsulateIpv6Payload(buf, off, len, random.nextInt(256),
                    random.nextInt(257) - 1, DecapsulatorTest.D6_HI, random.nextBoolean() ? DecapsulatorTest.D6_LO : 0)));
            calls += 3;
        }

        long[] snapshot = counters.snapshot(new long[DropCounters.slots()]);
        assertThat(java.util.Arrays.stream(snapshot).sum()).isEqualTo(calls);
        assertThat(snapshot[DropCounters.UNKNOWN_SLOT]).isZero();
        assertThat(ok).as("mutations keep some packets valid").isGreaterThan(ROUNDS / 20);
        assertThat(counters.get(Verdict.TRUNCATED)).isPositive();
        assertThat(counters.get(Verdict.BAD_CHECKSUM)).isPositive();
    }

    private static int known(int code) {
        assertThat(code).isBetween(0, Verdict.values().length - 1);
        return code;
    }
}
