package org.example.lb.dns.health;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import org.example.lb.common.flags.FlagDirectory;
import org.example.lb.common.health.CheckScheduler;

/**
 * One state file (an extfile, the admin_state file) watched for new versions: inotify on its directory, and a rescan
 * every {@code rescan} for what inotify misses (common's {@link FlagDirectory}, limited to this one name, so the other
 * files of {@code /etc/lb} are never read). A file given by an absolute path is watched where it is.
 *
 * <p>A version is handed over once it is settled. One that ends with a newline is, at once (within milliseconds of the
 * write). One that does not, or an empty one, is what a reader sees while a writer is at work ({@code echo ... > file}
 * truncates the file, then writes it): it is held back, and handed over as it is only if it is still the file's
 * content {@link #SETTLE} later (gdnsd waits about a second after every change). So a rewrite with {@code >} is seen
 * once, with its new content; a file written without a final newline ({@code printf}) applies a second later; a file
 * left empty is an empty file. A removal is held back the same way (a writer may remove, then create the file) and
 * reported only if the file is still missing {@link #SETTLE} later.
 *
 * <p>The listener runs on {@code serial}, as does everything here.
 */
final class StateFile implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StateFile.class.getName());
  /** How long a version without a final newline must stay before it is read as it is. */
  static final Duration SETTLE = Duration.ofSeconds(1);
  /** Far more than any list of addresses or globs. */
  static final int MAX_BYTES = 1 << 20;

  /** Receives the versions of the file. */
  @FunctionalInterface
  interface Listener {
    /**
     * A new version, or the file's removal ({@code text} empty).
     *
     * @param unfinished the version has no final newline (or no byte at all) and was read as it is after
     *     {@link #SETTLE}
     */
    void changed(Optional<String> text, boolean unfinished);
  }

  private final Path file;
  private final CheckScheduler scheduler;
  private final Executor serial;
  private final Listener listener;
  private FlagDirectory watch;
  /** The version last handed over; null while the file is missing. */
  private String delivered;
  /** A version held back until it settles, if any. */
  private String pending;
  /** The file's removal is held back until it settles. */
  private boolean removalPending;
  private CheckScheduler.Cancellable settling;
  private boolean closed;

  private StateFile(Path file, CheckScheduler scheduler, Executor serial, Listener listener) {
    this.file = file;
    this.scheduler = scheduler;
    this.serial = serial;
    this.listener = listener;
  }

  /**
   * Reads {@code file} now, in the caller's thread (which must be {@code serial}'s), handing its version (as it is,
   * or its absence) to {@code listener} before returning; then watches it.
   */
  static StateFile watch(Path file, Duration rescan, CheckScheduler scheduler, Executor serial, Listener listener) {
    StateFile f = new StateFile(file, scheduler, serial, listener);
    String read = read(file);
    Optional<String> initial = read == UNREADABLE ? Optional.empty() : Optional.ofNullable(read);
    f.delivered = initial.orElse(null);
    listener.changed(initial, false); // as it is: at start there is no previous version to keep
    String name = file.getFileName().toString();
    f.watch = FlagDirectory.watch(file.toAbsolutePath().getParent(), rescan, MAX_BYTES, name::equals, serial,
        (changed, content) -> f.offer(content));
    return f;
  }

  Path file() {
    return file;
  }

  private void offer(Optional<String> content) {
    if (closed) {
      return;
    }
    if (content.isEmpty()) {
      if (delivered == null) {
        hold(null); // missing, and reported so
      } else if (!removalPending) {
        holdRemoval();
      }
      return;
    }
    String text = content.get();
    if (text.equals(delivered)) {
      hold(null); // back to what was handed over (a rewrite with the same content)
    } else if (text.endsWith("\n")) {
      hold(null);
      delivered = text;
      listener.changed(content, false);
    } else if (!text.equals(pending)) {
      LOG.fine(() -> file + ": " + (text.isEmpty() ? "empty" : "no newline at the end") + ": waiting " + SETTLE
          + " for the writer");
      hold(text);
    }
  }

  /** Holds {@code text} back until it settles (null: nothing held back). */
  private void hold(String text) {
    pending = text;
    removalPending = false;
    if (settling != null) {
      settling.cancel();
      settling = null;
    }
    if (text != null) {
      settling = scheduler.schedule(SETTLE, () -> serial.execute(this::settle));
    }
  }

  private void holdRemoval() {
    hold(null);
    removalPending = true;
    settling = scheduler.schedule(SETTLE, () -> serial.execute(this::settle));
  }

  /**
   * {@link #SETTLE} after a version without a final newline, or the file's removal, was seen: still so, it is handed
   * over.
   */
  private void settle() {
    if (closed || pending == null && !removalPending) {
      return;
    }
    String now = read(file);
    if (now == UNREADABLE) {
      if (removalPending) {
        holdRemoval();
      } else {
        hold(pending); // try again later
      }
    } else if (removalPending) {
      if (now == null) {
        hold(null);
        delivered = null;
        listener.changed(Optional.empty(), false);
      } else {
        offer(Optional.of(now)); // back meanwhile
      }
    } else if (pending.equals(now)) {
      hold(null);
      delivered = now;
      listener.changed(Optional.of(now), true);
    } else {
      offer(Optional.ofNullable(now)); // it changed meanwhile: the watch reports it too, and it is taken only once
    }
  }

  /** What {@link #read} returns for a file that exists but cannot be read (compared by identity). */
  static final String UNREADABLE = new String("unreadable");

  /** The file's content (its first {@link #MAX_BYTES}); null when it does not exist, {@link #UNREADABLE} when it cannot be read. */
  static String read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      LOG.warning(file + ": cannot read (" + e.getMessage() + ")");
      return UNREADABLE;
    }
  }

  @Override
  public void close() {
    closed = true;
    hold(null);
    if (watch != null) {
      watch.close();
    }
  }
}
