package org.example.lb.common.test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * A command run in-process (e.g. {@code ServiceMain.execute(...)}) with what it wrote to standard error.
 *
 * @param code its exit code
 * @param stderr what it wrote to {@code System.err}
 */
public record CommandRun(int code, String stderr) {
  /** Runs {@code command} with {@code System.err} captured (restored afterwards). */
  public static CommandRun capturingStderr(IntSupplier command) {
    PrintStream saved = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      int code = command.getAsInt();
      return new CommandRun(code, bytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }
}
