package org.example.lb.lab.disrupt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.example.lb.lab.LabUp;
import org.example.lb.lab.load.LoadOptions;
import org.example.lb.lab.node.LabServices;
import org.example.lb.lab.support.LabTest;
import org.example.lb.lab.support.SharedLab;
import org.example.lb.lab.support.SharedLab.RunningLab;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The disruption matrix in the running lab, with short durations: each scenario of {@code bin/lab disrupt} under the
 * client load of {@code bin/lab clients} (slow 10 MB downloads and short requests from the users' addresses to
 * every VIP), each asserting its expectation.
 */
@LabTest
@Order(7)
@ExtendWith(SharedLab.class)
class DisruptionLabTest {
  /** 10 s downloads (1 MiB/s), so those begun before an event span it; fewer than bin/lab clients runs by default. */
  private static final String[] LOAD = {"--downloads", "8", "--read-rate", "1024", "--rate", "20",
      "--idle-timeout", "20"};

  static Stream<String> scenarios() {
    return Scenarios.names().stream();
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void meetsItsExpectationUnderLoad(String name, RunningLab lab) throws Exception {
    LoadOptions load = new LoadOptions();
    new CommandLine(load).parseArgs(LOAD);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    LabActions actions = new LabActions(lab.root(), lab.paths(), lab.topology(),
        new LabServices(lab.paths(), LabUp.serviceEnvironment(lab.root())));
    DisruptionRun run = new DisruptionRun(actions, lab.topology().file(), "users", load, Duration.ofSeconds(4),
        Duration.ofSeconds(3), Duration.ofSeconds(3), lab.paths().stateDir().resolve("disrupt-test"),
        new PrintStream(progress, true, StandardCharsets.UTF_8));
    Scenario scenario = Scenarios.named(name).orElseThrow();
    DisruptionReport report = run.run(scenario);
    String text = progress.toString(StandardCharsets.UTF_8) + report.text();
    System.out.print(text);

    assertThat(report.error()).as(text).isEmpty();
    assertThat(report.started()).as("connections under load").isGreaterThan(50);
    assertThat(report.openAtEvent()).as("downloads open when the event began").isGreaterThan(3);
    // Every scenario, lb7-add-lb4-remove included since the directors sync their flows, is expected to be met.
    assertThat(report.met()).as(text).isTrue();
  }
}
