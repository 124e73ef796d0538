package org.example.lb.dns.health;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.example.lb.common.health.CheckScheduler;
import org.example.lb.common.health.DurationText;

/**
 * The administrator's state overrides, gdnsd's admin_state file (gdnsd(8), "ADMIN STATE FILE"): lines
 * {@code GLOB => UP|DOWN[/TTL]} ({@link StateLines}), each glob matched against monitor names
 * ({@code 192.0.2.1/www}, {@code 192.0.2.1/*}, {@code *&#47;www}) and resource keys ({@code multifo/www}); lines apply in
 * order, so a later line overrides an earlier one. A forced state without a TTL has no TTL limit.
 *
 * <p>As in gdnsd, a file with any malformed line is ignored whole and the forced states stay as they were (one log
 * line names the file, line and error); a missing file forces nothing, and removing it clears every forced state. The
 * file is watched as a {@link StateFile}: a version ending with a newline applies at once (gdnsd waits about a second
 * for writes to settle); one without (a writer at work) only if it stays so for a second.
 */
final class AdminStateFile implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AdminStateFile.class.getName());
  private static final Duration RESCAN = Duration.ofSeconds(1);

  /** One line of the file: the glob and the state it forces. */
  record Forcing(int line, Glob glob, HealthState state) {}

  private final Path file;
  private final Consumer<List<Forcing>> apply;
  private final Runnable rejected;
  private StateFile watch;
  private boolean loaded;

  private AdminStateFile(Path file, Consumer<List<Forcing>> apply, Runnable rejected) {
    this.file = file;
    this.apply = apply;
    this.rejected = rejected;
  }

  /**
   * Reads {@code file} now (from {@code serial}, the caller's thread) and watches it; {@code apply} gets the overrides
   * of each valid version (empty when the file is missing or removed), {@code rejected} runs for each invalid one.
   * Both run on {@code serial}.
   */
  static AdminStateFile watch(Path file, CheckScheduler scheduler, Executor serial, Consumer<List<Forcing>> apply,
      Runnable rejected) {
    AdminStateFile f = new AdminStateFile(file, apply, rejected);
    f.watch = StateFile.watch(file, RESCAN, scheduler, serial, f::read);
    return f;
  }

  Path file() {
    return file;
  }

  private void read(Optional<String> content, boolean unfinished) {
    if (content.isEmpty()) {
      if (loaded) {
        LOG.info(file + ": removed: no state is forced any more");
        loaded = false;
      }
      apply.accept(List.of());
      return;
    }
    String text = content.get();
    if (unfinished) {
      LOG.warning(file + (text.isEmpty() ? ": empty" : ": no newline at the end of the last line") + ", still after "
          + DurationText.of(StateFile.SETTLE) + ": read as it is");
    }
    StateLines lines = StateLines.parse(text, HealthState.MAX_TTL);
    if (!lines.errors().isEmpty()) {
      LOG.warning(file + ":" + lines.errors().getFirst() + (lines.errors().size() > 1 ? " (and "
          + (lines.errors().size() - 1) + " more)" : "") + "; the whole file is ignored, forced states unchanged");
      rejected.run(); // after the warning: whoever sees the count can read the line
      return;
    }
    loaded = true;
    LOG.info(file + ": loaded, " + lines.entries().size() + " override(s)");
    apply.accept(lines.entries().stream().map(e -> new Forcing(e.line(), Glob.of(e.key()), e.state())).toList());
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
  }
}
