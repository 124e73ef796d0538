package org.example.lb.l7;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.example.lb.common.test.ChildProcess;

/**
 * Runs the real {@code l7-agent} command line ({@link L7AgentCommand#main}, what {@code bin/l7-agent} execs) in a
 * child JVM built from the classes under test, with its output in files of {@code dir}.
 */
final class L7AgentCli {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final Path dir;

  L7AgentCli(Path dir) {
    this.dir = dir;
  }

  /** A finished command. */
  record Result(int exitCode, String stdout, String stderr) {}

  private static List<String> command(String... args) {
    String java = ProcessHandle.current().info().command().orElseThrow();
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
        "-cp", classPath, L7AgentCommand.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Runs a command that ends by itself (haproxy-config, status, reload...) and waits up to 60 s for it. */
  Result run(String... args) throws IOException, InterruptedException {
    int n = SEQUENCE.incrementAndGet();
    Path out = dir.resolve("cli-" + n + ".out");
    Path err = dir.resolve("cli-" + n + ".err");
    Process p = new ProcessBuilder(command(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      throw new AssertionError("l7-agent " + String.join(" ", args) + " did not finish within 60 s");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Starts a long-running command (agent, run); the caller stops it by PID. */
  ChildProcess start(String name, String... args) {
    try {
      return ChildProcess.start("l7-agent " + name, command(args), dir.resolve(name + ".log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends SIGHUP to {@code process} by its PID. */
  static void hangUp(ChildProcess process) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -HUP " + process.pid() + " failed");
    }
  }

  static Duration jvmStartAllowance() {
    return Duration.ofSeconds(20);
  }
}
