package org.example.lb.l7;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A daemon started by a test, with stdout and stderr in one log file. {@link #stop} ends it and every process
 * it started, each by its PID (never by name: other developers run nginx and HAProxy on the same machine).
 */
final class ChildProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ChildProcess start(String name, List<String> command, Path log) throws IOException {
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    return new ChildProcess(name, p, log);
  }

  long pid() {
    return process.pid();
  }

  Process process() {
    return process;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path logFile() {
    return log;
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends SIGTERM to the process itself (not to its children). */
  void terminate() {
    process.destroy();
  }

  /** Waits up to {@code timeout} for the process to exit; its exit code, or empty if it still runs. */
  java.util.OptionalInt awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
          ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.OptionalInt.empty();
    }
  }

  /** SIGTERM, up to 5 s, then SIGKILL; then SIGKILL to any descendant still alive. Idempotent. */
  void stop() {
    List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
    if (process.isAlive()) {
      process.destroy();
      if (awaitExit(Duration.ofSeconds(5)).isEmpty()) {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(5));
      }
    }
    for (ProcessHandle h : descendants) {
      if (h.isAlive()) {
        h.destroyForcibly();
        h.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + log + ")";
  }
}
