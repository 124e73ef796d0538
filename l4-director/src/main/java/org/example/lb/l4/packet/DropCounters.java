package org.example.lb.l4.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-verdict packet counters for one worker thread.
 *
 * <p>Single writer: only the owning worker calls {@link #count(int)}; it reads its own plain value and publishes the
 * increment with an opaque write (no lock, no CAS, no fence beyond what opaque needs, never torn). Any other thread
 * (metrics) reads with {@link #get(int)} / {@link #snapshot(long[])}, which use opaque reads: values are eventually
 * visible and monotonic per counter, not a consistent cut across counters. LongAdder was not used: with one writer
 * there is no contention to spread, and its cells cost allocation and indirection. Codes outside {@code [0, LIMIT)}
 * are counted under {@link #UNKNOWN_SLOT}.
 */
public final class DropCounters {
    /** Index counting codes this build does not define. */
    public static final int UNKNOWN_SLOT = Verdict.LIMIT;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] counts = new long[Verdict.LIMIT + 1];

    /** Counts one packet with {@code code}; owner thread only. {@link Verdict#OK} is counted like any other code. */
    public void count(int code) {
        int slot = code >= 0 && code < Verdict.LIMIT ? code : UNKNOWN_SLOT;
        SLOTS.setOpaque(counts, slot, counts[slot] + 1);
    }

    /** The current count for {@code code} (codes outside the known range read the unknown slot); any thread. */
    public long get(int code) {
        int slot = code >= 0 && code < Verdict.LIMIT ? code : UNKNOWN_SLOT;
        return (long) SLOTS.getOpaque(counts, slot);
    }

    public long get(Verdict verdict) {
        return get(verdict.code());
    }

    /** Copies all counters (indexed by code, then {@link #UNKNOWN_SLOT}) into {@code into}; any thread. */
    public long[] snapshot(long[] into) {
        int n = Math.min(into.length, counts.length);
        for (int i = 0; i < n; i++) {
            into[i] = (long) SLOTS.getOpaque(counts, i);
        }
        return into;
    }

    /** Length a {@link #snapshot(long[])} array needs. */
    public static int slots() {
        return Verdict.LIMIT + 1;
    }
}
