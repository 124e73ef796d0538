package org.example.lb.lab.load;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.netns.Netns;

/**
 * {@link ClientsMain} in its own JVM inside the clients' node ({@code ip netns exec users java ...}), with this JVM's
 * java and class path: its sockets then belong to that namespace. Live lines go to this process's stderr.
 */
public final class ClientProcess implements AutoCloseable {
  private static final String MAIN = ClientsMain.class.getName();
  private final Process process;
  private final OutputStream stdin;

  private ClientProcess(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
  }

  /** The command line that runs the load in {@code node}. */
  public static List<String> command(String node, Path topology, LoadOptions options, Optional<Path> connections,
      boolean stopOnStdin, boolean quiet) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> argv = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), MAIN, "--topology", topology.toString()));
    argv.addAll(options.arguments());
    connections.ifPresent(c -> argv.addAll(List.of("--connections", c.toString())));
    if (stopOnStdin) {
      argv.add("--stop-on-stdin");
    }
    if (quiet) {
      argv.add("--quiet");
    }
    return Netns.execArgv(node, argv);
  }

  /**
   * Starts the load, stopping on {@link #stop()}; the summary JSON goes to {@code summary}, every connection to
   * {@code connections}, the live line to this process's stderr (unless {@code quiet}).
   */
  public static ClientProcess start(String node, Path topology, LoadOptions options, Path summary, Path connections,
      boolean quiet) {
    ProcessBuilder pb = new ProcessBuilder(command(node, topology, options.withDuration(0), Optional.of(connections),
        true, quiet))
        .redirectOutput(summary.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    try {
      return new ClientProcess(pb.start());
    } catch (IOException e) {
      throw new LabFailure("cannot start the client load in " + node + ": " + e.getMessage());
    }
  }

  /** Stops starting connections; those in flight run to their end. */
  public void stop() {
    try {
      stdin.write("stop\n".getBytes(StandardCharsets.US_ASCII));
      stdin.flush();
      stdin.close();
    } catch (IOException e) {
      // already gone: waitFor tells
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Waits for the end (the summary written); the exit code, or empty after {@code max}. */
  public Optional<Integer> waitFor(Duration max) throws InterruptedException {
    return process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue()) : Optional.empty();
  }

  /** Kills the load if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
