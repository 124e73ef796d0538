package org.example.lb.dns.health;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.example.lb.common.flags.FlagDirectory;

/**
 * The administrator's state overrides, gdnsd's admin_state file (gdnsd(8), "ADMIN STATE FILE"): lines
 * {@code GLOB => UP|DOWN[/TTL]} ({@link StateLines}), each glob matched against monitor names
 * ({@code 192.0.2.1/www}, {@code 192.0.2.1/*}, {@code *&#47;www}) and resource keys ({@code multifo/www}); lines apply in
 * order, so a later line overrides an earlier one. A forced state without a TTL has no TTL limit.
 *
 * <p>As in gdnsd, a file with any malformed line is ignored whole and the forced states stay as they were (one log
 * line names the file, line and error); a missing file forces nothing, and removing it clears every forced state.
 * Unlike gdnsd (which waits about a second for writes to settle) a change applies at once; a half-written file (no
 * newline after its last line, or no byte at all) is ignored until complete.
 */
final class AdminStateFile implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AdminStateFile.class.getName());
  private static final Duration RESCAN = Duration.ofSeconds(1);

  /** One line of the file: the glob and the state it forces. */
  record Forcing(int line, Glob glob, HealthState state) {}

  private final Path file;
  private final FlagDirectory watch;
  private String lastText;

  private AdminStateFile(Path file, Executor serial, Consumer<List<Forcing>> apply, Runnable rejected) {
    this.file = file;
    String name = file.getFileName().toString();
    this.watch = FlagDirectory.watch(file.toAbsolutePath().getParent(), RESCAN, 1 << 20, serial, (changed, content) -> {
      if (changed.equals(name)) {
        read(content, apply, rejected);
      }
    });
  }

  /**
   * Watches {@code file}; {@code apply} gets the overrides of each valid version (empty when the file is missing),
   * {@code rejected} runs for each invalid one. Both run on {@code serial}.
   */
  static AdminStateFile watch(Path file, Executor serial, Consumer<List<Forcing>> apply, Runnable rejected) {
    return new AdminStateFile(file, serial, apply, rejected);
  }

  Path file() {
    return file;
  }

  private void read(Optional<String> content, Consumer<List<Forcing>> apply, Runnable rejected) {
    if (content.isEmpty()) {
      lastText = null;
      LOG.info(file + ": removed: no state is forced any more");
      apply.accept(List.of());
      return;
    }
    String text = content.get();
    if (text.equals(lastText)) {
      return;
    }
    lastText = text;
    StateLines lines = StateLines.parse(text, HealthState.MAX_TTL);
    if (!lines.complete()) {
      LOG.warning(file + (text.isEmpty() ? ": empty (being rewritten?)" : ": the last line has no newline yet "
          + "(half-written?)") + ": forced states unchanged");
      return;
    }
    if (!lines.errors().isEmpty()) {
      rejected.run();
      LOG.warning(file + ":" + lines.errors().getFirst() + (lines.errors().size() > 1 ? " (and "
          + (lines.errors().size() - 1) + " more)" : "") + "; the whole file is ignored, forced states unchanged");
      return;
    }
    LOG.info(file + ": loaded, " + lines.entries().size() + " override(s)");
    apply.accept(lines.entries().stream().map(e -> new Forcing(e.line(), Glob.of(e.key()), e.state())).toList());
  }

  @Override
  public void close() {
    watch.close();
  }
}
