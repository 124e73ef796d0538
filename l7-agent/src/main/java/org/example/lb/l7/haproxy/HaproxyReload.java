package org.example.lb.l7.haproxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.example.lb.common.config.ConfigException;
import org.example.lb.l7.L7Config;
import org.example.lb.l7.runtime.MasterCli;
import org.example.lb.l7.runtime.ReloadFailedException;
import org.example.lb.l7.runtime.ReloadOutcome;
import org.example.lb.l7.runtime.RuntimeApiException;
import org.example.lb.l7.runtime.RuntimeSocket;

/**
 * Reloads a running HAProxy without dropping connections and without losing runtime state:
 * <ol>
 *   <li>render the new configuration next to the live one and check it with {@code haproxy -c}; if HAProxy rejects
 *       it, nothing else happens: the candidate is kept as {@code <config>.rejected} and HAProxy's ALERT lines
 *       (naming lines of that file) are reported, while the running config keeps serving;
 *   <li>dump {@code show servers state} atomically to the server-state file, so drains, maintenance and weights set
 *       at run time survive (the new worker loads it: {@code load-server-state-from-file global});
 *   <li>move the new configuration into place and send {@code reload} on the master CLI, then wait until a new
 *       worker runs. The old worker finishes its connections (up to {@code hardStopAfter}). If the master cannot
 *       start a worker with it (a config {@code haproxy -c} accepts, such as a maxconn the open-files limit cannot
 *       hold), the previous workers keep serving, the previous configuration is put back in place (so a later
 *       reload or restart does not fail the same way) and the new one is kept as {@code <config>.rejected}.
 * </ol>
 */
public final class HaproxyReload {
  private static final Logger LOG = Logger.getLogger(HaproxyReload.class.getName());

  private HaproxyReload() {}

  /**
   * Performs the reload.
   *
   * @param sourceFile the l7-agent config file {@code config} was read from (named in the generated header)
   * @throws ConfigException when HAProxy rejects the new configuration (nothing was changed)
   * @throws IOException when files cannot be written
   * @throws RuntimeApiException when HAProxy's sockets do not answer
   */
  public static ReloadOutcome reload(L7Config config, Path sourceFile, Duration timeout)
      throws ConfigException, IOException {
    L7Config.Haproxy h = config.haproxy().orElseThrow();
    Path live = h.configFile().toAbsolutePath();
    Path candidate = live.resolveSibling("." + live.getFileName() + ".new");
    Path rejected = live.resolveSibling(live.getFileName() + ".rejected");
    String next = HaproxyConfig.render(config, sourceFile);
    Files.writeString(candidate, next, StandardCharsets.UTF_8);
    String previous = Files.exists(live) ? Files.readString(live, StandardCharsets.UTF_8) : null;
    try {
      check(h.binary(), candidate, rejected);
      dumpServerState(RuntimeSocket.open(h.statsSocket(), timeout), h.serverStateFile());
      Files.move(candidate, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(candidate);
    }
    ReloadOutcome outcome;
    try {
      outcome = MasterCli.open(h.masterSocket(), timeout).reloadAndAwait(timeout);
    } catch (ReloadFailedException e) {
      writeAtomically(rejected, next);
      if (previous != null) {
        writeAtomically(live, previous);
      }
      LOG.severe("HAProxy could not start a worker with the new configuration (kept as " + rejected
          + "; see HAProxy's log); the previous workers keep serving and " + live + " is the previous one again");
      throw e;
    }
    Files.deleteIfExists(rejected);
    LOG.info("HAProxy reloaded: new worker(s) " + outcome.newWorkerPids());
    return outcome;
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Writes the running servers' state to {@code stateFile} through a temporary file and a rename. */
  public static void dumpServerState(RuntimeSocket runtime, Path stateFile) throws IOException {
    String text = runtime.showServersState().text();
    if (!text.endsWith("\n")) {
      text += "\n";
    }
    Path tmp = stateFile.resolveSibling("." + stateFile.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Runs {@code haproxy -c} on {@code config}. If HAProxy rejects it, the file is moved to {@code rejected} and
   * HAProxy's ALERT lines, naming lines of that file, become the exception's message. (Not {@code -q}: HAProxy 2.6
   * prints no ALERT at all with it.)
   */
  static void check(Path binary, Path config, Path rejected) throws ConfigException, IOException {
    Process p = new ProcessBuilder(binary.toString(), "-c", "-f", config.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(binary + " -c did not finish within 30s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while checking " + config);
    }
    if (p.exitValue() != 0) {
      Files.move(config, rejected, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      String alerts = out.lines().filter(l -> l.contains("ALERT")).map(String::strip)
          .collect(Collectors.joining("; "));
      String why = (alerts.isEmpty() ? out.strip().replace('\n', ' ') : alerts)
          .replace(config.toString(), rejected.toString());
      throw new ConfigException(rejected, 0, "rejected by haproxy -c (exit " + p.exitValue()
          + "), running config kept: " + (why.isEmpty() ? "no message" : why));
    }
  }
}
