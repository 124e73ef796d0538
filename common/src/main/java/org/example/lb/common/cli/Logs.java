package org.example.lb.common.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One-line log records on stderr: {@code 2026-11-22T10:00:00.123Z INFO  agent: message}. */
public final class Logs {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT.withZone(ZoneOffset.UTC);

  private Logs() {}

  public static void init(boolean verbose) {
    Logger root = Logger.getLogger("");
    for (var h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler handler = new ConsoleHandler();
    handler.setLevel(Level.ALL);
    handler.setFormatter(new Formatter() {
      @Override
      public String format(LogRecord r) {
        String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
        int dot = logger.lastIndexOf('.');
        StringBuilder sb = new StringBuilder(128)
            .append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ')
            .append(String.format("%-5s", r.getLevel() == Level.WARNING ? "WARN" : r.getLevel() == Level.SEVERE ? "ERROR" : r.getLevel().getName()))
            .append(' ').append(dot >= 0 ? logger.substring(dot + 1) : logger).append(": ")
            .append(formatMessage(r)).append('\n');
        if (r.getThrown() != null && (verbose || r.getLevel() == Level.SEVERE)) {
          var sw = new java.io.StringWriter();
          r.getThrown().printStackTrace(new java.io.PrintWriter(sw));
          sb.append(sw);
        }
        return sb.toString();
      }
    });
    root.addHandler(handler);
    root.setLevel(verbose ? Level.FINE : Level.INFO);
  }
}
