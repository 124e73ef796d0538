package org.example.lb.l4.maglev.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.example.lb.l4.maglev.Backend;
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
 * Time to build a {@link MaglevTable} (the paper reports 1.8 ms for M = 65537 with 1000 backends), at the paper's
 * M = 65537 for N = 10, 100, 1000, and at M = 100003 for N = 1000 (the size the director's configuration requires
 * for 1000 LB7s: M &gt; 100 × N). Not a test: run it by hand on a quiet machine.
 *
 * <pre>
 * # JDK 25 runs annotation processors only when asked (proc=full); clean, since a plain test build drops JMH's list
 * bin/build -q -pl l4-director -am clean test-compile -Dmaven.compiler.proc=full
 * . bin/lib/jdk.sh &amp;&amp; "$JAVA" -cp "l4-director/target/test-classes:l4-director/target/classes:common/target/classes:\
 * $(ls ~/.m2/repository/org/openjdk/jmh/jmh-core/1.37/*.jar):\
 * $(ls ~/.m2/repository/org/apache/commons/commons-math3/*&#47;commons-math3-*.jar | head -1):\
 * $(ls ~/.m2/repository/net/sf/jopt-simple/jopt-simple/*&#47;jopt-simple-*.jar | head -1)" \
 *     org.openjdk.jmh.Main 'MaglevBuildBenchmark|MaglevLookupBenchmark' -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MaglevBuildBenchmark {
  /** {@code tableSize:backends}. */
  @Param({"65537:10", "65537:100", "65537:1000", "100003:1000"})
  public String sizeAndBackends;

  private List<Backend> backends;
  private int tableSize;

  @Setup
  public void setUp() {
    String[] parts = sizeAndBackends.split(":");
    tableSize = Integer.parseInt(parts[0]);
    backends = IntStream.range(0, Integer.parseInt(parts[1]))
        .mapToObj(i -> Backend.of("lb7-" + i + ".example.net"))
        .toList();
  }

  @Benchmark
  public MaglevTable build() {
    return MaglevTable.build(backends, tableSize);
  }
}
