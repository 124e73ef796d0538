package org.example.lb.common.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Calls {@code onChange} when a config file's content changes, read every {@code poll} on a virtual thread. Content is
 * compared rather than time stamps (coarse, and kept by some editors); the first fingerprint is taken in
 * {@link #start}, so a change made right after it returns is not missed. A missing file counts as a content of its
 * own (its reappearance is a change).
 */
public final class ConfigFileWatch implements AutoCloseable {
  private final Path file;
  private final Thread thread;
  private volatile boolean closed;

  private ConfigFileWatch(Path file, Duration poll, Runnable onChange) {
    this.file = file;
    Object loaded = fingerprint(file);
    this.thread = Thread.ofVirtual().name("config-watch").start(() -> watch(loaded, poll, onChange));
  }

  public static ConfigFileWatch start(Path file, Duration poll, Runnable onChange) {
    return new ConfigFileWatch(file, poll, onChange);
  }

  private void watch(Object loaded, Duration poll, Runnable onChange) {
    Object seen = loaded;
    while (!closed) {
      try {
        Thread.sleep(poll);
      } catch (InterruptedException e) {
        return;
      }
      Object now = fingerprint(file);
      if (!closed && !Objects.equals(now, seen)) {
        seen = now;
        onChange.run();
      }
    }
  }

  private static Object fingerprint(Path file) {
    try {
      return ByteBuffer.wrap(Files.readAllBytes(file));
    } catch (IOException e) {
      return "missing";
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
