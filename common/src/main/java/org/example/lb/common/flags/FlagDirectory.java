package org.example.lb.common.flags;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches a directory of flag files (such as {@code /etc/lb}) and reports each file whose content
 * changed, appeared or disappeared. Changes are seen at once through a {@link WatchService}; a
 * periodic rescan catches what inotify can miss (overflow, a directory replaced, bind mounts).
 *
 * <p>Listeners run on the given executor, in order, one change at a time: give it the serialized
 * executor of the state machine that consumes the flags. Only regular files directly in the
 * directory are reported; files larger than {@value #MAX_BYTES} bytes (or the limit given) are reported as their
 * first {@value #MAX_BYTES} bytes. The directory may be missing: it is then treated as empty. A file that exists but
 * cannot be read (permissions, I/O error) keeps its last known content: it is not reported as removed. A watch may be
 * limited to some names (one state file in a directory of others): the other files are then never read.
 */
public final class FlagDirectory implements AutoCloseable {
  /** Flag files are small; anything beyond this is ignored. */
  public static final int MAX_BYTES = 4096;

  private static final Logger LOG = Logger.getLogger(FlagDirectory.class.getName());

  /** Receives one change. {@code content} is empty when the file was removed. */
  @FunctionalInterface
  public interface Listener {
    void changed(String name, Optional<String> content);
  }

  private final Path directory;
  private final Duration rescanInterval;
  private final int maxBytes;
  private final Predicate<String> names;
  private final Listener listener;
  private final Executor executor;
  private final Map<String, String> known = new HashMap<>(); // touched only by the watcher thread
  private final Thread thread;
  private volatile boolean closed;
  private volatile WatchService watchService;

  private FlagDirectory(Path directory, Duration rescanInterval, int maxBytes, Predicate<String> names,
      Executor executor, Listener listener) {
    this.directory = directory;
    this.rescanInterval = rescanInterval;
    this.maxBytes = maxBytes;
    this.names = names;
    this.executor = executor;
    this.listener = listener;
    this.thread = Thread.ofPlatform().daemon().name("flags-" + directory).unstarted(this::run);
  }

  /**
   * Reads the directory once (reporting every present file), then watches it.
   *
   * @param rescanInterval how often the whole directory is re-read even without an event (default 1s)
   */
  public static FlagDirectory watch(Path directory, Duration rescanInterval, Executor executor, Listener listener) {
    return watch(directory, rescanInterval, MAX_BYTES, executor, listener);
  }

  /**
   * As {@link #watch(Path, Duration, Executor, Listener)}, reading up to {@code maxBytes} of each file instead of
   * {@value #MAX_BYTES} (state files listing many addresses).
   */
  public static FlagDirectory watch(Path directory, Duration rescanInterval, int maxBytes, Executor executor,
      Listener listener) {
    return watch(directory, rescanInterval, maxBytes, name -> true, executor, listener);
  }

  /**
   * As {@link #watch(Path, Duration, Executor, Listener)}, reading and reporting only the files whose name
   * {@code names} accepts (e.g. one flag file among the others of /etc/lb).
   */
  public static FlagDirectory watch(Path directory, Duration rescanInterval, Predicate<String> names,
      Executor executor, Listener listener) {
    return watch(directory, rescanInterval, MAX_BYTES, names, executor, listener);
  }

  /**
   * As {@link #watch(Path, Duration, int, Executor, Listener)}, reading and reporting only the files whose name
   * {@code names} accepts (dotfiles never).
   */
  public static FlagDirectory watch(Path directory, Duration rescanInterval, int maxBytes, Predicate<String> names,
      Executor executor, Listener listener) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: at least 1)");
    }
    FlagDirectory flags = new FlagDirectory(directory, rescanInterval, maxBytes, names, executor, listener);
    flags.watchService = flags.register(); // before the first scan, so no change can fall between the two
    flags.scan();
    flags.thread.start();
    return flags;
  }

  /** The directory watched. */
  public Path directory() {
    return directory;
  }

  private void run() {
    while (!closed) {
      try {
        WatchService ws = watchService != null ? watchService : register();
        long deadline = System.nanoTime() + rescanInterval.toNanos();
        while (!closed) {
          long wait = deadline - System.nanoTime();
          WatchKey key = ws == null ? null : ws.poll(Math.max(wait, 0), TimeUnit.NANOSECONDS);
          if (ws == null) {
            Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
          }
          if (key != null) {
            key.pollEvents();
            boolean valid = key.reset();
            scan();
            if (!valid) {
              break; // directory gone or replaced: register again
            }
          }
          if (System.nanoTime() - deadline >= 0) {
            scan();
            if (ws == null && Files.isDirectory(directory)) {
              break; // directory appeared: start watching it
            }
            deadline = System.nanoTime() + rescanInterval.toNanos();
          }
        }
        closeWatchService();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "watching " + directory + " failed, retrying: " + e, e);
      }
    }
  }

  private WatchService register() {
    try {
      if (!Files.isDirectory(directory)) {
        return null;
      }
      WatchService ws = directory.getFileSystem().newWatchService();
      directory.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
      watchService = ws;
      return ws;
    } catch (IOException e) {
      LOG.warning("cannot watch " + directory + " (" + e.getMessage() + "); rescanning every " + rescanInterval);
      return null;
    }
  }

  private void closeWatchService() {
    WatchService ws = watchService;
    watchService = null;
    if (ws != null) {
      try {
        ws.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  /** Re-reads the directory and reports differences. Runs on the watcher thread (or once at start). */
  private synchronized void scan() {
    Map<String, String> now = new HashMap<>();
    if (Files.isDirectory(directory)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
        for (Path file : files) {
          String name = file.getFileName().toString();
          if (name.startsWith(".") || !names.test(name) || !Files.isRegularFile(file)) {
            continue; // editors' and our own temporary files
          }
          Optional<String> content = read(file, maxBytes);
          if (content.isPresent()) {
            now.put(name, content.get());
          } else if (Files.exists(file) && known.containsKey(name)) {
            now.put(name, known.get(name)); // present but unreadable: keep what we knew, never report a removal
          }
        }
      } catch (NoSuchFileException e) {
        // directory removed between the check and the listing: treat as empty
      } catch (IOException e) {
        LOG.warning("cannot list " + directory + ": " + e.getMessage());
        return; // keep what we knew
      }
    }
    for (var entry : now.entrySet()) {
      if (!Objects.equals(known.get(entry.getKey()), entry.getValue())) {
        known.put(entry.getKey(), entry.getValue());
        String name = entry.getKey();
        String content = entry.getValue();
        executor.execute(() -> listener.changed(name, Optional.of(content)));
      }
    }
    for (var it = known.keySet().iterator(); it.hasNext(); ) {
      String name = it.next();
      if (!now.containsKey(name)) {
        it.remove();
        executor.execute(() -> listener.changed(name, Optional.empty()));
      }
    }
  }

  private static Optional<String> read(Path file, int maxBytes) {
    try (var in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(maxBytes);
      return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.warning("cannot read " + file + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    closeWatchService();
  }
}
