package org.example.lb.l7.runtime;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real HAProxy (default /usr/sbin/haproxy, or system property {@code haproxy.binary}) run as
 * a child in master-worker mode: {@code haproxy -W -f <dir>/haproxy.cfg -S <dir>/master.sock}.
 * {@link #close()} stops the master and its workers by PID.
 */
final class HaproxyUnderTest implements AutoCloseable {
  private final Process master;
  private final Path dir;

  private HaproxyUnderTest(Process master, Path dir) {
    this.master = master;
    this.dir = dir;
  }

  /** The binary, or aborts the test (fails it when {@code lab.required=true}) if there is none. */
  static Path requireBinary() {
    Path binary = Path.of(System.getProperty("haproxy.binary", "/usr/sbin/haproxy"));
    if (!Files.isExecutable(binary)) {
      String why = "haproxy not found at " + binary + " (install Debian's haproxy 2.6 or set -Dhaproxy.binary)";
      if (Boolean.getBoolean("lab.required")) {
        fail(why + "; lab.required=true");
      }
      Assumptions.abort(why);
    }
    return binary;
  }

  /** Writes {@code config} to {@code dir}/haproxy.cfg, starts HAProxy and waits until admin.sock answers. */
  static HaproxyUnderTest start(Path dir, String config) throws IOException {
    Path binary = requireBinary();
    Files.writeString(dir.resolve("haproxy.cfg"), config);
    ProcessBuilder pb = new ProcessBuilder(List.of(binary.toString(), "-W", "-f", dir.resolve("haproxy.cfg").toString(),
        "-S", dir.resolve("master.sock").toString()))
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("haproxy.log").toFile());
    HaproxyUnderTest h = new HaproxyUnderTest(pb.start(), dir);
    try {
      RuntimeSocket admin = RuntimeSocket.open(h.adminSocket());
      RuntimeApiException[] last = {null};
      Poll.until(Duration.ofSeconds(10), () -> "haproxy answers on " + h.adminSocket() + " (last error: " + last[0]
          + "); log:\n" + h.log(), () -> {
        if (!h.master.isAlive()) {
          throw new AssertionError("haproxy exited with " + h.master.exitValue() + "; log:\n" + h.log());
        }
        try {
          admin.showInfo();
          MasterCli.open(h.masterSocket()).showProc();
          return true;
        } catch (RuntimeApiException e) {
          last[0] = e;
          return false;
        }
      });
    } catch (RuntimeException | Error e) {
      h.close();
      throw e;
    }
    return h;
  }

  Path dir() {
    return dir;
  }

  Path config() {
    return dir.resolve("haproxy.cfg");
  }

  Path adminSocket() {
    return dir.resolve("admin.sock");
  }

  Path masterSocket() {
    return dir.resolve("master.sock");
  }

  long masterPid() {
    return master.pid();
  }

  String log() {
    try {
      Path log = dir.resolve("haproxy.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the master (SIGTERM, then SIGKILL after 5 s) and any worker left, each by its PID. */
  @Override
  public void close() {
    List<ProcessHandle> children = master.descendants().toList();
    master.destroy();
    try {
      if (!master.waitFor(5, TimeUnit.SECONDS)) {
        master.destroyForcibly();
        master.waitFor(5, TimeUnit.SECONDS);
      }
      for (ProcessHandle child : children) {
        if (child.isAlive()) {
          child.destroyForcibly();
          child.onExit().get(5, TimeUnit.SECONDS);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("stopping haproxy " + master.pid() + ": " + e, e);
    }
  }

  /** A loopback TCP port free right now (for HAProxy's frontend or a port nobody listens on). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
