package org.example.lb.common.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A daemon started by a test, with stdout and stderr appended to one log file. {@link #stop} ends it and every
 * process it started, each by its PID (never by name: other developers run nginx and HAProxy on the same machine).
 * Subclasses add what one daemon offers ({@link NginxServer}; l7-agent's tests have HaproxyProcess).
 */
public class ChildProcess implements AutoCloseable {
  /** How long {@link #stop} waits after SIGTERM, and again after SIGKILL. */
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(5);

  private final String name;
  private final Process process;
  private final Path log;

  protected ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} in this JVM's working directory; {@code name} is for messages. */
  public static ChildProcess start(String name, List<String> command, Path log) throws IOException {
    return new ChildProcess(name, launch(command, log, null), log);
  }

  /**
   * Starts {@code command} with stdout and stderr appended to {@code log}, in {@code workingDirectory} (null: this
   * JVM's).
   */
  protected static Process launch(List<String> command, Path log, Path workingDirectory) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (workingDirectory != null) {
      builder.directory(workingDirectory.toFile());
    }
    return builder.start();
  }

  public final long pid() {
    return process.pid();
  }

  public final boolean isAlive() {
    return process.isAlive();
  }

  public final Path logFile() {
    return log;
  }

  /** What the process wrote so far ("" before its first line). */
  public final String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends SIGTERM to the process itself (not to its children). */
  public final void terminate() {
    process.destroy();
  }

  /** Waits up to {@code timeout} for the process to exit; its exit code, or empty if it still runs. */
  public final OptionalInt awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
          ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    }
  }

  /**
   * SIGTERM, up to 5 s, then SIGKILL; then SIGKILL to each process it had started that is still alive (e.g. a
   * worker HAProxy's master left behind), waiting up to 5 s for each. Idempotent.
   *
   * @throws IllegalStateException naming the PIDs still alive after all that
   */
  public final void stop() {
    List<ProcessHandle> descendants = process.descendants().toList();
    if (process.isAlive()) {
      process.destroy();
      if (awaitExit(STOP_DEADLINE).isEmpty()) {
        process.destroyForcibly();
        awaitExit(STOP_DEADLINE);
      }
    }
    List<Long> survivors = new ArrayList<>();
    if (process.isAlive()) {
      survivors.add(process.pid());
    }
    for (ProcessHandle h : descendants) {
      if (h.isAlive()) {
        h.destroyForcibly();
        try {
          h.onExit().get(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
          survivors.add(h.pid());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          survivors.add(h.pid());
        }
      }
    }
    if (!survivors.isEmpty()) {
      throw new IllegalStateException("stopping " + this + ": still alive after SIGKILL: " + survivors);
    }
  }

  /** {@link #stop}. */
  @Override
  public final void close() {
    stop();
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + log + ")";
  }
}
