package org.example.lb.bgp.health;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command with a deadline, as ExaBGP's healthcheck runs {@code --cmd}: stdin from /dev/null, stdout and
 * stderr together, of which the last {@value #TAIL_BYTES} bytes are kept; past the deadline (or on an interrupt)
 * the process and every process it started are killed (SIGKILL). Blocking: call it from a virtual thread.
 */
final class BoundedProcess {
  static final int TAIL_BYTES = 4096;
  /** How long to wait for the output to end once the process exited (a background child may hold the pipe). */
  private static final Duration DRAIN_WAIT = Duration.ofMillis(500);
  private static final File DEV_NULL = new File("/dev/null");

  private BoundedProcess() {}

  /** How the run ended. */
  enum End {
    EXITED,
    TIMED_OUT,
    INTERRUPTED,
    NOT_STARTED
  }

  /**
   * @param end how it ended
   * @param exitCode the exit status when {@link End#EXITED} (128 + n when killed by signal n), else -1
   * @param output the tail of what it wrote ({@link End#NOT_STARTED}: why it could not start)
   * @param elapsed from the start to the end (or the kill)
   */
  record Outcome(End end, int exitCode, String output, Duration elapsed) {
    /** The last non-blank line of the output, control characters replaced, at most 160 characters ("" if none). */
    String lastLine() {
      return lastLines(1);
    }

    /** Up to {@code n} last non-blank lines joined with " | ", each at most 160 characters. */
    String lastLines(int n) {
      List<String> lines = new ArrayList<>();
      String[] all = output.split("\n");
      for (int i = all.length - 1; i >= 0 && lines.size() < n; i--) {
        String line = printable(all[i]).strip();
        if (!line.isEmpty()) {
          lines.addFirst(line.length() > 160 ? line.substring(0, 157) + "..." : line);
        }
      }
      return String.join(" | ", lines);
    }

    private static String printable(String s) {
      StringBuilder sb = new StringBuilder(s.length());
      s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
      return sb.toString();
    }
  }

  /**
   * Runs {@code argv} with this process's environment plus {@code extraEnvironment} and waits for it up to
   * {@code timeout}. Never throws.
   */
  static Outcome run(List<String> argv, Map<String, String> extraEnvironment, Duration timeout) {
    long start = System.nanoTime();
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    builder.environment().putAll(extraEnvironment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      return new Outcome(End.NOT_STARTED, -1, String.valueOf(e.getMessage()), since(start));
    }
    Tail tail = new Tail();
    Thread reader = Thread.ofVirtual().name("output of pid " + process.pid())
        .start(() -> tail.drain(process.getInputStream()));
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        killTree(process);
        Duration elapsed = since(start);
        process.waitFor(DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        reader.join(DRAIN_WAIT);
        return new Outcome(End.TIMED_OUT, -1, tail.text(), elapsed);
      }
      Duration elapsed = since(start);
      reader.join(DRAIN_WAIT);
      return new Outcome(End.EXITED, process.exitValue(), tail.text(), elapsed);
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      return new Outcome(End.INTERRUPTED, -1, tail.text(), since(start));
    }
  }

  /** SIGKILL to the process and to every descendant it has (those seen before it was killed). */
  static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    for (ProcessHandle h : descendants) {
      h.destroyForcibly();
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** The last {@value #TAIL_BYTES} bytes read from a stream, readable while it is being read. */
  private static final class Tail {
    private final byte[] ring = new byte[TAIL_BYTES];
    private long written; // guarded by this

    void drain(InputStream in) {
      byte[] buffer = new byte[1024];
      try (in) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          append(buffer, n);
        }
      } catch (IOException e) {
        // the process was killed or the stream closed: keep what was read
      }
    }

    private synchronized void append(byte[] buffer, int n) {
      for (int i = 0; i < n; i++) {
        ring[(int) (written++ % TAIL_BYTES)] = buffer[i];
      }
    }

    synchronized String text() {
      int length = (int) Math.min(written, TAIL_BYTES);
      byte[] out = new byte[length];
      long first = written - length;
      for (int i = 0; i < length; i++) {
        out[i] = ring[(int) ((first + i) % TAIL_BYTES)];
      }
      return new String(out, StandardCharsets.UTF_8);
    }
  }
}
