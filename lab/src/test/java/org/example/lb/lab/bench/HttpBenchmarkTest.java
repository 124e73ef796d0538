package org.example.lb.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.topology.Topology;
import org.junit.jupiter.api.Test;

class HttpBenchmarkTest {
  private static final HttpBenchmark.Pair V4 = new HttpBenchmark.Pair("IPv4",
      new HttpBenchmark.Target("VIP 198.51.100.1", "http://198.51.100.1/"),
      new HttpBenchmark.Target("LB7-1", "http://192.0.2.71/"));

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @Test
  void theLabsTargetsComeFromTheTopology() throws Exception {
    Topology topology = Topology.load(Path.of("topology.yaml").toAbsolutePath(), Map.of());
    assertThat(HttpBenchmark.clientNode(topology)).isEqualTo("users");
    assertThat(HttpBenchmark.pairs(topology)).containsExactly(V4, new HttpBenchmark.Pair("IPv6",
        new HttpBenchmark.Target("VIP 2001:db8::c633:6401", "http://[2001:db8::c633:6401]/"),
        new HttpBenchmark.Target("LB7-1", "http://[2001:db8:0:3::71]/")));
  }

  @Test
  void roundsInterleaveTheSidesAlternatingWhichGoesFirstAfterAWarmUp() {
    List<String> calls = new ArrayList<>();
    HttpBenchmark.Settings settings = new HttpBenchmark.Settings(2, 20, Duration.ofSeconds(10), Duration.ofSeconds(3),
        3);
    new HttpBenchmark(settings, "users", List.of(V4), args -> {
      calls.add(args.get(5) + " " + args.getLast());
      return Samples.read("wrk-v4vip.txt");
    }, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    assertThat(calls).containsExactly(
        "3s http://198.51.100.1/", "3s http://192.0.2.71/",
        "10s http://198.51.100.1/", "10s http://192.0.2.71/",
        "10s http://192.0.2.71/", "10s http://198.51.100.1/",
        "10s http://198.51.100.1/", "10s http://192.0.2.71/");
    assertThat(settings.wrkArguments("http://x/", Duration.ofSeconds(10)))
        .containsExactly("-t", "2", "-c", "20", "-d", "10s", "--latency", "http://x/");
  }

  @Test
  void theTableHoldsTheMediansOfTheRounds() {
    String[] stack = {Samples.read("wrk-v4vip.txt"), Samples.read("wrk-v6vip.txt"), Samples.read("wrk-v4vip.txt")
        .replace("4781.09", "5000.00").replace("13.87ms", "20.00ms")};
    String[] direct = {Samples.read("wrk-v4lb7.txt"), Samples.read("wrk-v6lb7.txt"), Samples.read("wrk-non2xx.txt")};
    int[] next = new int[2];
    HttpBenchmark.Result result = new HttpBenchmark(new HttpBenchmark.Settings(2, 20, Duration.ofSeconds(2),
        Duration.ZERO, 3), "users", List.of(V4), args -> args.getLast().contains("198.51.100.1")
            ? stack[next[0]++] : direct[next[1]++], new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    Comparison c = result.comparison();
    assertThat(c.subject()).isEqualTo("VIP (whole stack)");
    assertThat(c.anchor()).isEqualTo("LB7-1 (direct)");
    assertThat(c.rows()).extracting(r -> r.measure() + " = " + r.subject().text() + " | " + r.anchor().text() + " | "
        + r.ratioText()).containsExactly(
        // medians of 4781.09, 4395.90, 5000 and of 6015.68, 5672.60, 4870.30
        "IPv4: requests/s = 4781 | 5673 | 0.84",
        "IPv4: latency avg = 4.16 ms | 3.66 ms | 1.14",
        "IPv4: latency p50 = 3.62 ms | 2.85 ms | 1.27",
        "IPv4: latency p99 = 15.28 ms | 14.91 ms | 1.02",
        "IPv4: errors (socket, non-2xx/3xx; all rounds) = 0 | 4874 | —");
    assertThat(c.notes()).contains("IPv4: http://198.51.100.1/ vs http://192.0.2.71/; requests/s per round: "
        + "4781, 4396, 5000 vs 6016, 5673, 4870");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("round 1  VIP 198.51.100.1");
  }

  @Test
  void aRunWithoutAnyCompletedRequestFailsTheBenchmark() {
    HttpBenchmark bench = new HttpBenchmark(new HttpBenchmark.Settings(1, 2, Duration.ofSeconds(1), Duration.ZERO, 1),
        "users", List.of(V4), args -> Samples.read("wrk-no-requests.txt"),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    assertThatThrownBy(bench::run).isInstanceOf(LabFailure.class)
        .hasMessage("wrk against http://198.51.100.1/: no request completed (0 socket errors)");
  }
}
