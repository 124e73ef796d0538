package org.example.lb.l7.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.example.lb.common.flags.FlagDirectory;
import org.example.lb.common.flags.SerialExecutor;
import org.example.lb.common.metrics.Metrics;

/**
 * Feeds the node's agent-check flag file (such as {@code /etc/lb/agent-check}) to a target, usually
 * {@link AgentCheckServer#set}. The file holds the {@link AgentReply} grammar.
 *
 * <ul>
 *   <li>A valid file is passed on whenever its content changes (seen at once through {@link FlagDirectory},
 *       or at the next rescan).
 *   <li>A missing file means {@link AgentReply#DEFAULT} (up ready 100%), also at start.
 *   <li>An invalid file (blank, half-written, unknown word...) is not passed on: the target keeps its last
 *       valid state, one WARN line names the file and what was expected, once per distinct bad content, and
 *       {@code lb_agent_flag_file_invalid_total} counts it.
 * </ul>
 * Write the file atomically (write {@code .agent-check.tmp}, then rename it: files starting with a dot are
 * ignored) so a reader never sees half of it; a half-written file is only rejected as long as it is
 * invalid. The target is called one change at a time on a virtual thread.
 */
public final class AgentFlagFile implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AgentFlagFile.class.getName());

  private final Path file;
  private final String name;
  private final Consumer<AgentReply> target;
  private final Metrics.Counter invalid;
  private final SerialExecutor executor = new SerialExecutor(r -> Thread.ofVirtual().name("agent-flag-file").start(r));
  private FlagDirectory flags;
  private boolean seen; // touched on the executor only
  private String lastInvalidContent; // touched on the executor only
  private volatile Optional<String> problem = Optional.empty();

  AgentFlagFile(Path directory, String name, Consumer<AgentReply> target, Metrics metrics) {
    if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
      throw new IllegalArgumentException("name: \"" + name + "\" (expected: a file name without / or leading dot)");
    }
    this.file = directory.resolve(name);
    this.name = name;
    this.target = Objects.requireNonNull(target, "target");
    this.invalid = metrics.counter("lb_agent_flag_file_invalid_total",
        "Distinct invalid contents of the agent-check flag file (the last valid state was kept)");
  }

  /**
   * Reads {@code directory/name} now (or applies the default when it is missing), then follows it.
   *
   * @param rescanInterval how often the directory is re-read even without a change event (e.g. 1s)
   */
  public static AgentFlagFile watch(Path directory, String name, Duration rescanInterval, Consumer<AgentReply> target,
      Metrics metrics) {
    AgentFlagFile flagFile = new AgentFlagFile(directory, name, target, metrics);
    flagFile.flags = FlagDirectory.watch(directory, rescanInterval, flagFile.name::equals, flagFile.executor,
        (changed, content) -> flagFile.apply(content));
    // Runs after the first scan's report of the file, if it was there.
    flagFile.executor.execute(() -> {
      if (!flagFile.seen) {
        flagFile.apply(Optional.empty());
      }
    });
    return flagFile;
  }

  /** The file followed. */
  public Path file() {
    return file;
  }

  /** Why the file's current content is being ignored, or empty when it is valid or missing. */
  public Optional<String> problem() {
    return problem;
  }

  /** Applies one observation of the file ({@code empty} = missing). Runs on the executor. */
  void apply(Optional<String> content) {
    seen = true;
    if (content.isEmpty()) {
      lastInvalidContent = null;
      problem = Optional.empty();
      target.accept(AgentReply.DEFAULT);
      return;
    }
    switch (AgentReply.parse(content.get())) {
      case AgentReply.Parsed.Reply(AgentReply reply) -> {
        lastInvalidContent = null;
        problem = Optional.empty();
        target.accept(reply);
      }
      case AgentReply.Parsed.Invalid(String message) -> {
        String why = file + ": " + message;
        problem = Optional.of(why);
        if (!content.get().equals(lastInvalidContent)) {
          lastInvalidContent = content.get();
          invalid.increment();
          LOG.warning(why + "; keeping the last valid state");
        }
      }
    }
  }

  @Override
  public void close() {
    if (flags != null) {
      flags.close();
    }
  }

  @Override
  public String toString() {
    return "AgentFlagFile[" + file + "]";
  }
}
