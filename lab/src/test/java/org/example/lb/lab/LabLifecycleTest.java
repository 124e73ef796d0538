package org.example.lb.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.example.lb.common.cli.ServiceMain;
import org.example.lb.lab.netns.Netns;
import org.example.lb.lab.node.ProcStat;
import org.example.lb.lab.state.Journal;
import org.example.lb.lab.state.LabPaths;
import org.example.lb.lab.state.LabState;
import org.example.lb.lab.state.Resource;
import org.example.lb.lab.support.LabTest;
import org.example.lb.lab.support.SharedLab;
import org.example.lb.lab.topology.Topology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Up, down, crashes midway and refusals, each test with the machine to itself. */
@LabTest
@Order(1)
class LabLifecycleTest {
  private final LabPaths paths = LabPaths.standard();
  private final Path root = ProjectRoot.find();
  private final Path topologyFile = root.resolve("lab/topology.yaml");
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

  @BeforeEach
  void noLabUp() throws Exception {
    SharedLab.release();
    assertThat(Files.exists(paths.journal()))
        .as("a lab is already up on this machine (%s); run bin/lab down before the lab tests", paths.journal())
        .isFalse();
  }

  @Test
  void upThenDownLeavesNothingBehind() throws Exception {
    Map<String, Integer> sizes = Map.of("LB7", 2, "S", 3);
    Topology topology = Topology.load(topologyFile, sizes);
    boolean l7 = true;

    int up = new LabUp(root, paths, out).run(new LabUp.Options(topologyFile, sizes, false, l7, Duration.ofSeconds(180),
        false, -1));
    assertThat(up).as(text()).isZero();
    LabState state = Journal.read(paths.journal()).orElseThrow();
    List<Resource.Process> processes = state.processes();
    assertThat(processes).as("nginx per server, plus the L7 tier when present").hasSizeGreaterThanOrEqualTo(3);
    assertThat(processes).allMatch(p -> ProcStat.alive(p.pid(), p.startTime()));
    assertThat(Netns.list()).containsAll(topology.namespaces());
    assertThat(paths.etcNetns().resolve("S1/lb")).isDirectory();

    assertThat(new LabDown(paths, out).run()).as(text()).isZero();

    assertNothingLeft(topology, processes);
    assertThat(new LabDown(paths, out).run()).as("down is idempotent").isZero();
  }

  @Test
  void downAfterACrashMidwayThroughUpRemovesEverything() throws Exception {
    Topology topology = Topology.load(topologyFile, Map.of());
    // Halts (like kill -9) once the journal holds 46 resources: every namespace and node directory
    // exists and nginx runs on the first servers, the last one journaled but not started.
    Process crashed = labJvm("up", "--no-l7", "--halt-after", "46");
    assertThat(crashed.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(crashed.exitValue()).as("the simulated crash halts with 137").isEqualTo(137);

    LabState state = Journal.read(paths.journal()).orElseThrow();
    assertThat(state.phase()).isEqualTo("building");
    List<Resource.Process> started = state.processes().stream().filter(p -> p.pid() > 0).toList();
    assertThat(started).as("nginx started before the crash").isNotEmpty();
    assertThat(started).allMatch(p -> ProcStat.alive(p.pid(), p.startTime()));
    assertThat(state.processes()).as("one process journaled but never started").anyMatch(p -> p.pid() == 0);
    assertThat(Netns.list()).containsAll(topology.namespaces());

    assertThatThrownBy(() -> new LabUp(root, paths, out).run(new LabUp.Options(topologyFile, Map.of(), false, false,
        Duration.ofSeconds(30), false, -1)))
        .isInstanceOf(ServiceMain.UserError.class)
        .hasMessageContaining("bin/lab down");

    assertThat(new LabDown(paths, out).run()).as(text()).isZero();
    assertNothingLeft(topology, started);
  }

  @Test
  void crashWhileCreatingNamespacesIsCleanedUpToo() throws Exception {
    Topology topology = Topology.load(topologyFile, Map.of());
    Process crashed = labJvm("up", "--no-l7", "--halt-after", "9");
    assertThat(crashed.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(crashed.exitValue()).isEqualTo(137);
    assertThat(Journal.read(paths.journal()).orElseThrow().namespaces()).isNotEmpty();

    assertThat(new LabDown(paths, out).run()).as(text()).isZero();
    assertNothingLeft(topology, List.of());
  }

  @Test
  void upRefusesANamespaceTheLabDidNotCreate() throws Exception {
    Netns.add("S3");
    try {
      assertThatThrownBy(() -> new LabUp(root, paths, out).run(new LabUp.Options(topologyFile, Map.of(), false, false,
          Duration.ofSeconds(30), false, -1)))
          .isInstanceOf(ServiceMain.UserError.class)
          .hasMessageContaining("not created by the lab")
          .hasMessageContaining("S3");
      assertThat(Files.exists(paths.journal())).as("nothing was created").isFalse();
      assertThat(Netns.list()).doesNotContain("S1", "lb-lab-sw");
    } finally {
      Netns.delete("S3");
    }
  }

  @Test
  void upThatFailsMidwayRollsBackByItself(@TempDir Path dir) throws Exception {
    // The kernel refuses ::1 on lo a second time: the servers' links fail after every
    // namespace and the other nodes' links exist.
    String text = Files.readString(topologyFile).replace("    links: [ { segment: servers, host: 11 } ]",
        "    links: [ { segment: servers, host: 11 } ]\n    loopback: [ \"::1\" ]");
    Path file = dir.resolve("failing.yaml");
    Files.writeString(file, text);
    Topology topology = Topology.load(file, Map.of());

    int code = new LabUp(root, paths, out).run(new LabUp.Options(file, Map.of(), false, false,
        Duration.ofSeconds(30), false, -1));

    assertThat(code).as(text()).isEqualTo(1);
    assertThat(text()).contains("ip -n S1 -batch - failed", "address already assigned", "tearing down what was built");
    assertNothingLeft(topology, List.of());
  }

  private void assertNothingLeft(Topology topology, List<Resource.Process> processes) {
    assertThat(Netns.list()).as("namespaces after down").doesNotContainAnyElementsOf(topology.namespaces());
    for (Resource.Process p : processes) {
      assertThat(ProcStat.alive(p.pid(), p.startTime())).as("%s on %s (pid %d) stopped", p.service(), p.node(), p.pid())
          .isFalse();
    }
    for (String node : topology.nodeNames()) {
      assertThat(paths.etcNetns().resolve(node)).doesNotExist();
    }
    assertThat(paths.stateDir()).doesNotExist();
    assertThat(paths.lock()).doesNotExist();
  }

  /** Runs bin/lab's main class in a separate JVM (for crashes that must not take this JVM down). */
  private Process labJvm(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), LabCommand.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("LB_ROOT", root.toString());
    Process p = pb.start();
    Thread.ofVirtual().start(() -> {
      try (var in = p.getInputStream()) {
        in.transferTo(out);
      } catch (java.io.IOException ignored) {
        // the child's output is only for failure messages
      }
    });
    return p;
  }

  private String text() {
    return output.toString(StandardCharsets.UTF_8);
  }
}
