package org.example.lb.l4.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.example.lb.l4.packet.TestPackets.HEADROOM;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.example.lb.l4.packet.DropCounters;
import org.example.lb.l4.packet.PacketView;
import org.example.lb.l4.packet.Verdict;
import org.junit.jupiter.api.Test;

/**
 * Evidence for "no allocation per packet": bytes allocated by this thread across 100k parse + encapsulate +
 * decapsulate + ICMP error + count iterations stay far below one object per iteration (which would be at least 1.6 MB).
 */
class PacketPathAllocationTest {
    private static final int ITERATIONS = 100_000;

    private final PacketView view = PacketView.forForwarding();
    private final Encapsulator encapsulator = Encapsulator.create(Optional.of(EncapsulatorTest.DIRECTOR4),
            Optional.of(EncapsulatorTest.DIRECTOR6), 1500, 0);
    private final Decapsulator decapsulator = Decapsulator.create(DecapsulatorTest.VIPS, Optional.of(DecapsulatorTest.DIRECTORS));
    private final DropCounters counters = new DropCounters();
    private final ByteBuffer icmpOut = ByteBuffer.allocateDirect(2048);

    @Test
    void hotPathDoesNotAllocatePerPacket() {
        assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        List<byte[]> seeds = PacketPathFuzzTest.seeds();
        ByteBuffer[] buffers = new ByteBuffer[seeds.size()];
        for (int i = 0; i < buffers.length; i++) {
            byte[] packet = seeds.get(i);
            buffers[i] = ByteBuffer.allocateDirect(HEADROOM + packet.length).put(HEADROOM, packet);
        }
        long threadId = Thread.currentThread().threadId();

        long sink = run(buffers, ITERATIONS);
        long before = threads.getThreadAllocatedBytes(threadId);
        sink += run(buffers, ITERATIONS);
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes allocated in %d iterations", ITERATIONS).isLessThan(64 * 1024);
    }

    private long run(ByteBuffer[] buffers, int iterations) {
        long oks = 0;
        for (int i = 0; i < iterations; i++) {
            ByteBuffer buf = buffers[i % buffers.length];
            int len = buf.limit() - HEADROOM;
            int verdict = view.parse(buf, HEADROOM, len);
            counters.count(verdict);
            if (verdict == Verdict.OK.code()) {
                oks += IcmpTooBig.write(buf, view, 1500, 40, icmpOut, 0) > 0 ? 1 : 0;
                TunnelEndpoint lb7 = (i & 1) == 0 ? EncapsulatorTest.LB7_4 : EncapsulatorTest.LB7_6;
                verdict = encapsulator.encapsulate(buf, view, lb7);
                counters.count(verdict);
                if (verdict == Verdict.OK.code()) {
                    verdict = lb7.isIpv4()
                            ? decapsulator.decapsulateIpv4(buf, encapsulator.start(), encapsulator.length())
                            : decapsulator.decapsulateIpv6(buf, encapsulator.start(), encapsulator.length());
                    counters.count(verdict);
                    oks += verdict == Verdict.OK.code() ? 1 : 0;
                }
            }
            counters.count(decapsulator.decapsulateIpv4(buf, HEADROOM, len));
        }
        return oks;
    }
}
