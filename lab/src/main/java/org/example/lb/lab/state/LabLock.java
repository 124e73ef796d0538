package org.example.lb.lab.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** Only one {@code bin/lab up} or {@code down} at a time: an exclusive lock on a file next to the state. */
public final class LabLock implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private LabLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock, or returns empty when another process holds it. */
  public static Optional<LabLock> tryAcquire(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      return Optional.empty();
    }
    channel.truncate(0);
    channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    return Optional.of(new LabLock(file, channel, lock));
  }

  /** The PID written by the holder, if readable. */
  public static String holder(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      return "?";
    }
  }

  /** Releases the lock and removes the file (used once the lab is gone). */
  public void closeAndDelete() throws IOException {
    Files.deleteIfExists(file);
    close();
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
    }
  }
}
