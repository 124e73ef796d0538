package org.example.lb.l7.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Replies captured from HAProxy 2.6.12 (see capture-README.txt next to them). Stats-socket
 * captures are the raw reply to {@code set severity-output number;<command>}.
 */
final class Fixtures {
  private Fixtures() {}

  static String raw(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The command output of a stats-socket capture (the severity-output echo removed). */
  static String statsOutput(String name) {
    return CliReply.ofStatsSocket(name, raw(name)).text();
  }
}
