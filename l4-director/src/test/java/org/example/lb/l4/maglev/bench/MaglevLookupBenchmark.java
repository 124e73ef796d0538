package org.example.lb.l4.maglev.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.example.lb.l4.maglev.Backend;
import org.example.lb.l4.maglev.FlowHash;
import org.example.lb.l4.maglev.MaglevTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-packet cost of picking a backend: a lookup of a precomputed flow hash, and flow hash + lookup from raw IPv4
 * and IPv6 header bytes (4096 different flows, cycled, so the table is hit at random places). Run as shown in
 * {@link MaglevBuildBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MaglevLookupBenchmark {
  private static final int FLOWS = 4096;

  /** {@code tableSize:backends}. */
  @Param({"65537:100", "100003:1000"})
  public String sizeAndBackends;

  private MaglevTable table;
  private long[] hashes;
  /** FLOWS packets' addresses back to back: IPv6 source (16 bytes) then destination (16 bytes). */
  private byte[] addresses;
  private int next;

  @Setup
  public void setUp() {
    String[] parts = sizeAndBackends.split(":");
    table = MaglevTable.build(IntStream.range(0, Integer.parseInt(parts[1]))
        .mapToObj(i -> Backend.of("lb7-" + i + ".example.net"))
        .toList(), Integer.parseInt(parts[0]));
    SplittableRandom random = new SplittableRandom(1);
    hashes = new long[FLOWS];
    addresses = new byte[FLOWS * 32];
    random.nextBytes(addresses);
    for (int i = 0; i < FLOWS; i++) {
      hashes[i] = FlowHash.fiveTuple(addresses, i * 32, addresses, i * 32 + 16, 4, 40000 + i, 443, 6);
    }
  }

  @Benchmark
  public int lookup() {
    int i = next++ & (FLOWS - 1);
    return table.lookup(hashes[i]);
  }

  @Benchmark
  public int hashAndLookupIpv4() {
    int i = next++ & (FLOWS - 1);
    return table.lookup(FlowHash.fiveTuple(addresses, i * 32, addresses, i * 32 + 16, 4, 40000 + i, 443, 6));
  }

  @Benchmark
  public int hashAndLookupIpv6() {
    int i = next++ & (FLOWS - 1);
    return table.lookup(FlowHash.fiveTuple(addresses, i * 32, addresses, i * 32 + 16, 16, 40000 + i, 443, 6));
  }
}
