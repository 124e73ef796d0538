package org.example.lb.l7.agent;

import static org.junit.jupiter.api.Assertions.fail;

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
import org.junit.jupiter.api.Assumptions;

/**
 * A real HAProxy started in the foreground (master-worker, {@code -W}) from a config in a temp dir, with a
 * minimal runtime-CLI client over its admin socket. Stopped by PID (its own and its workers'), never by name.
 */
final class HaproxyProcess implements AutoCloseable {
  /** Debian's HAProxy 2.6; system property {@code haproxy.binary} points elsewhere. */
  static final Path BINARY = Path.of(System.getProperty("haproxy.binary", "/usr/sbin/haproxy"));

  private final Process process;
  private final Path socket;
  private final Path log;

  private HaproxyProcess(Process process, Path socket, Path log) {
    this.process = process;
    this.socket = socket;
    this.log = log;
  }

  /** Fails when lab.required=true and HAProxy is missing; skips the test otherwise. */
  static void requireInstalled() {
    if (Files.isExecutable(BINARY)) {
      return;
    }
    String why = BINARY + " is not installed (Debian package haproxy 2.6; bin/install-deps installs it)";
    if (Boolean.getBoolean("lab.required")) {
      fail(why + " and lab.required=true");
    }
    Assumptions.abort(why);
  }

  /**
   * Writes {@code dir/haproxy.cfg} with a global section exposing {@code dir/admin.sock} at level admin,
   * tcp defaults and {@code body}, starts HAProxy and waits until its CLI answers.
   */
  static HaproxyProcess start(Path dir, String body) throws IOException {
    Path socket = dir.resolve("admin.sock");
    Path cfg = dir.resolve("haproxy.cfg");
    Path log = dir.resolve("haproxy.log");
    Files.writeString(cfg, """
        global
            stats socket %s level admin
        defaults
            mode tcp
            timeout connect 1s
            timeout client 5s
            timeout server 5s
        %s""".formatted(socket, body));
    Process process = new ProcessBuilder(BINARY.toString(), "-W", "-f", cfg.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    HaproxyProcess haproxy = new HaproxyProcess(process, socket, log);
    try {
      Poll.until(Duration.ofSeconds(10), "HAProxy CLI on " + socket, () -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("haproxy exited with " + process.exitValue() + ": " + haproxy.log());
        }
        return Files.exists(socket) && haproxy.cli("show info").contains("Version:");
      });
    } catch (AssertionError | RuntimeException e) {
      haproxy.close();
      throw e;
    }
    return haproxy;
  }

  /** Sends one command to the runtime CLI and returns the whole answer. */
  String cli(String command) {
    var answer = CompletableFuture.supplyAsync(() -> {
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.connect(UnixDomainSocketAddress.of(socket));
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
      return answer.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer from HAProxy CLI to " + command + " within 5s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * One server's state from {@code show servers state} and {@code show stat}, keyed by their column names
   * (e.g. {@code srv_op_state}, {@code srv_admin_state}, {@code srv_uweight}, {@code status}, {@code slim},
   * {@code last_agt}).
   */
  Map<String, String> server(String backend, String server) {
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

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** Stops the master and its workers by PID. */
  @Override
  public void close() {
    List<ProcessHandle> workers = process.descendants().toList();
    process.destroy(); // SIGTERM: the master stops its workers
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle worker : workers) {
      if (worker.isAlive()) {
        worker.destroyForcibly();
      }
    }
  }
}
