package org.example.lb.l4.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DropCountersTest {
    @Test
    void countsPerVerdictAndFoldsUnknownCodesIntoOneSlot() {
        DropCounters counters = new DropCounters();
        counters.count(Verdict.TRUNCATED.code());
        counters.count(Verdict.TRUNCATED.code());
        counters.count(Verdict.OK.code());
        counters.count(999);
        counters.count(-3);

        assertThat(counters.get(Verdict.TRUNCATED)).isEqualTo(2);
        assertThat(counters.get(Verdict.OK)).isEqualTo(1);
        assertThat(counters.get(Verdict.BAD_CHECKSUM)).isZero();
        assertThat(counters.get(12345)).isEqualTo(2);
        long[] snapshot = counters.snapshot(new long[DropCounters.slots()]);
        assertThat(snapshot[Verdict.TRUNCATED.code()]).isEqualTo(2);
        assertThat(snapshot[DropCounters.UNKNOWN_SLOT]).isEqualTo(2);
    }

    @Test
    void anotherThreadReadsTheWorkersCounts() throws InterruptedException {
        DropCounters counters = new DropCounters();
        AtomicLong seen = new AtomicLong();
        Thread worker = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 1000; i++) {
                counters.count(Verdict.UNKNOWN_VIP.code());
            }
        });
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            long last = 0;
            while (last < 1000) {
                long now = counters.get(Verdict.UNKNOWN_VIP);
                assertThat(now).isGreaterThanOrEqualTo(last);
                last = now;
            }
            seen.set(last);
        });
        worker.join();
        reader.join(10_000);

        assertThat(seen.get()).isEqualTo(1000);
    }
}
