package org.example.lb.dns;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The messages one logger writes while a test runs (to check that a bad input gives one clear line). */
public final class CapturedLog implements AutoCloseable {
  private final Logger logger;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      lines.add(r.getLevel() + " " + r.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  private CapturedLog(String name) {
    this.logger = Logger.getLogger(name);
    logger.addHandler(handler);
  }

  public static CapturedLog of(Class<?> source) {
    return new CapturedLog(source.getName());
  }

  /** The lines of a package's loggers ({@code org.example.lb.dns.health}), its classes' included. */
  public static CapturedLog of(Package p) {
    return new CapturedLog(p.getName());
  }

  /** Every message so far, {@code LEVEL message}. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
