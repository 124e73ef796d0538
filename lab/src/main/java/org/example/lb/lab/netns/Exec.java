package org.example.lb.lab.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.example.lb.lab.LabFailure;

/** Runs a short command and collects its output; never through a shell. */
public final class Exec {
  private Exec() {}

  /** Exit code and output of a finished command. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** Throws {@link LabFailure} naming the command and its error output unless it succeeded. */
    public Result orThrow() {
      if (!ok()) {
        String err = stderr.isBlank() ? stdout : stderr;
        throw new LabFailure(String.join(" ", command) + " failed (exit " + exitCode + "): "
            + err.strip().replace('\n', ' '));
      }
      return this;
    }
  }

  public static Result run(List<String> command, Duration timeout) {
    return run(command, null, timeout);
  }

  /** Runs {@code command} with {@code stdin} (or none), killing it after {@code timeout}. */
  public static Result run(List<String> command, String stdin, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new LabFailure("cannot run " + command.getFirst() + ": " + e.getMessage());
    }
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try {
      if (stdin != null) {
        try (var in = process.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new LabFailure(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + "s");
      }
      return new Result(List.copyOf(command), process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      process.destroyForcibly();
      throw new LabFailure(String.join(" ", command) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new LabFailure("interrupted while running " + String.join(" ", command));
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try (stream) {
        result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        result.completeExceptionally(new UncheckedIOException(e));
      }
    });
    return result;
  }
}
