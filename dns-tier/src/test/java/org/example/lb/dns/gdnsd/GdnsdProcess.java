package org.example.lb.dns.gdnsd;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.example.lb.common.test.ChildProcess;
import org.example.lb.common.test.Poll;
import org.example.lb.common.test.Tools;

/**
 * A real gdnsd 3.8 (Debian's) in the foreground on 127.0.0.1 at a free port, with its own config directory
 * ({@code config} and {@code zones/}, run and state directories inside it, so it touches nothing of the system's).
 */
final class GdnsdProcess extends ChildProcess {
  private final int port;

  private GdnsdProcess(Process process, Path log, int port) {
    super("gdnsd", process, log);
    this.port = port;
  }

  /**
   * Writes the config directory under {@code dir} and starts gdnsd; returns once it answers.
   *
   * @param zones zone name → master file (copied into zones/ under the zone's name)
   * @param options extra lines for the {@code options} stanza
   */
  static GdnsdProcess start(Path dir, int port, Map<String, Path> zones, List<String> options) throws IOException {
    return start(dir, port, zones, options, "", Map.of());
  }

  /**
   * As {@link #start(Path, int, Map, List)}, with more top-level config ({@code service_types}, {@code plugins}) and
   * environment variables (e.g. {@code GDNSD_TESTSUITE_NODELAY}, which makes gdnsd apply monitor and admin_state
   * changes at once instead of after about a second).
   */
  static GdnsdProcess start(Path dir, int port, Map<String, Path> zones, List<String> options, String stanzas,
      Map<String, String> environment) throws IOException {
    Path gdnsd = Tools.require("/usr/sbin/gdnsd");
    Path config = dir.resolve("gdnsd");
    Files.createDirectories(config.resolve("zones"));
    for (Map.Entry<String, Path> z : zones.entrySet()) {
      Files.copy(z.getValue(), config.resolve("zones").resolve(z.getKey()));
    }
    StringBuilder text = new StringBuilder("options => {\n");
    text.append("  listen => [ 127.0.0.1:").append(port).append(" ]\n");
    text.append("  run_dir => ").append(config.resolve("run")).append('\n');
    text.append("  state_dir => ").append(config.resolve("state")).append('\n');
    for (String o : options) {
      text.append("  ").append(o).append('\n');
    }
    text.append("}\n").append(stanzas);
    Files.createDirectories(stateDirectory(dir));
    Files.writeString(config.resolve("config"), text);
    Path log = dir.resolve("gdnsd.log");
    ProcessBuilder builder = new ProcessBuilder(gdnsd.toString(), "-c", config.toString(), "start")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).directory(dir.toFile());
    builder.environment().putAll(environment);
    GdnsdProcess p = new GdnsdProcess(builder.start(), log, port);
    try {
      Poll.until(Duration.ofSeconds(20), () -> "gdnsd to answer; its log: " + p.log(), () -> {
        if (!p.isAlive()) {
          throw new AssertionError("gdnsd exited: " + p.log());
        }
        return p.answers();
      });
    } catch (RuntimeException | Error e) {
      p.stop();
      throw e;
    }
    return p;
  }

  int port() {
    return port;
  }

  /** Where gdnsd reads its admin_state file when started in {@code dir}. */
  static Path stateDirectory(Path dir) {
    return dir.resolve("gdnsd").resolve("state");
  }

  /** Whether a query for the root gets any answer within 200 ms. */
  private boolean answers() {
    byte[] q = {0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 1};
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(200);
      s.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), port));
      byte[] buf = new byte[512];
      s.receive(new DatagramPacket(buf, buf.length));
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
