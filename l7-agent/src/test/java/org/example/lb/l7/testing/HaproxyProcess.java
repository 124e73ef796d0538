package org.example.lb.l7.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.example.lb.common.test.ChildProcess;
import org.example.lb.common.test.Poll;
import org.example.lb.common.test.Tools;
import org.example.lb.l7.L7Config;
import org.example.lb.l7.runtime.MasterCli;
import org.example.lb.l7.runtime.RuntimeApiException;
import org.example.lb.l7.runtime.RuntimeSocket;

/**
 * The real HAProxy 2.6 run as a child the way a load balancer node runs it: master-worker in the foreground,
 * {@code haproxy -W -db -f <config> -S <master socket>}, in the config file's directory, its output in a log file.
 * {@code start} returns once both the stats socket and the master CLI answer; {@link #stop} ends the master and
 * then any worker it left, by PID.
 */
public final class HaproxyProcess extends ChildProcess {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(5);

  private final Path configFile;
  private final Path statsSocket;
  private final Path masterSocket;
  private final RuntimeSocket runtime;
  private final MasterCli master;

  private HaproxyProcess(Process process, Path log, Path configFile, Path statsSocket, Path masterSocket) {
    super("haproxy", process, log);
    this.configFile = configFile;
    this.statsSocket = statsSocket;
    this.masterSocket = masterSocket;
    this.runtime = RuntimeSocket.open(statsSocket);
    this.master = MasterCli.open(masterSocket);
  }

  /**
   * Debian's HAProxy 2.6 ({@code /usr/sbin/haproxy}; system property {@code haproxy.binary} points elsewhere), or a
   * failed ({@code lab.required=true}) or skipped test.
   */
  public static Path binary() {
    return Tools.require(configuredBinary().toString());
  }

  /** The binary {@link #binary} requires, whether or not it is installed (for programs outside JUnit). */
  public static Path configuredBinary() {
    return Path.of(System.getProperty("haproxy.binary", "/usr/sbin/haproxy"));
  }

  /**
   * Writes {@code config} to {@code dir/haproxy.cfg} and starts HAProxy with its master CLI on
   * {@code dir/master.sock} and its output in {@code dir/haproxy.log}. The config must declare
   * {@code stats socket <dir>/admin.sock level admin}.
   */
  public static HaproxyProcess start(Path dir, String config) throws IOException {
    Path configFile = dir.resolve("haproxy.cfg");
    Files.writeString(configFile, config);
    return start(configFile, dir.resolve("admin.sock"), dir.resolve("master.sock"), dir.resolve("haproxy.log"));
  }

  /** Starts HAProxy on a load balancer node's config file, which must be written already. */
  public static HaproxyProcess start(L7Config.Haproxy haproxy, Path log) throws IOException {
    return start(haproxy.configFile(), haproxy.statsSocket(), haproxy.masterSocket(), log);
  }

  private static HaproxyProcess start(Path configFile, Path statsSocket, Path masterSocket, Path log)
      throws IOException {
    List<String> command = List.of(binary().toString(), "-W", "-db", "-f", configFile.toString(),
        "-S", masterSocket.toString());
    HaproxyProcess haproxy = new HaproxyProcess(launch(command, log, configFile.getParent()), log, configFile,
        statsSocket, masterSocket);
    try {
      haproxy.awaitBothClis();
    } catch (AssertionError | RuntimeException e) {
      try {
        haproxy.stop();
      } catch (RuntimeException stopFailure) {
        e.addSuppressed(stopFailure);
      }
      throw e;
    }
    return haproxy;
  }

  private void awaitBothClis() {
    RuntimeApiException[] last = {null};
    Poll.until(START_TIMEOUT, () -> "HAProxy answers on " + statsSocket + " and " + masterSocket + " (last error: "
        + last[0] + "); log:\n" + log(), () -> {
          if (!isAlive()) {
            throw new AssertionError("haproxy exited with status " + awaitExit(Duration.ZERO).orElse(-1)
                + "; log:\n" + log());
          }
          try {
            runtime.showInfo();
            master.showProc();
            return true;
          } catch (RuntimeApiException e) {
            last[0] = e;
            return false;
          }
        });
  }

  public Path configFile() {
    return configFile;
  }

  public Path statsSocket() {
    return statsSocket;
  }

  public Path masterSocket() {
    return masterSocket;
  }

  /** The stats socket (runtime API, level admin). */
  public RuntimeSocket runtime() {
    return runtime;
  }

  public MasterCli master() {
    return master;
  }

  /** PID of the worker serving the stats socket now. */
  public int workerPid() {
    return runtime.showInfo().pid();
  }

  /**
   * Sends one command to the stats socket with a plain client (not {@link RuntimeSocket}) and returns HAProxy's
   * whole answer as it wrote it.
   */
  public String cli(String command) {
    var answer = CompletableFuture.supplyAsync(() -> {
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.connect(UnixDomainSocketAddress.of(statsSocket));
        ch.write(StandardCharsets.UTF_8.encode(command + "\n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (ch.read(buf) >= 0) {
          out.write(buf.array(), 0, buf.position());
          buf.clear();
        }
        return out.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, r -> Thread.ofVirtual().start(r));
    try {
      return answer.get(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer from HAProxy CLI to " + command + " within " + CLI_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * One server's state from {@code show servers state} and {@code show stat} (read with {@link #cli}), keyed by
   * their column names (e.g. {@code srv_op_state}, {@code srv_admin_state}, {@code srv_uweight}, {@code status},
   * {@code slim}, {@code last_agt}).
   */
  public Map<String, String> server(String backend, String server) {
    Map<String, String> view = new HashMap<>();
    view.putAll(row(cli("show servers state " + backend), " ", "srv_name", server));
    view.putAll(row(cli("show stat"), ",", "svname", server, "pxname", backend));
    if (view.isEmpty()) {
      throw new IllegalStateException("no server " + backend + "/" + server);
    }
    return view;
  }

  /** Finds the row of a "# name name..." table whose columns equal the given name/value pairs. */
  private static Map<String, String> row(String table, String separator, String... match) {
    String[] header = null;
    for (String line : table.split("\n")) {
      if (line.startsWith("# ")) {
        header = line.substring(2).split(separator, -1);
        continue;
      }
      if (header == null || line.isBlank()) {
        continue;
      }
      String[] cells = line.split(separator, -1);
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < header.length && i < cells.length; i++) {
        row.put(header[i], cells[i]);
      }
      boolean matches = true;
      for (int i = 0; i + 1 < match.length; i += 2) {
        matches &= match[i + 1].equals(row.get(match[i]));
      }
      if (matches) {
        return row;
      }
    }
    return Map.of();
  }
}
