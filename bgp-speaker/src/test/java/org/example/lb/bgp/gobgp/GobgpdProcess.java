package org.example.lb.bgp.gobgp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.example.lb.common.test.ChildProcess;
import org.example.lb.common.test.FreePorts;
import org.example.lb.common.test.Poll;
import org.example.lb.common.test.Tools;

/**
 * A real gobgpd started by a test, its gRPC API on 127.0.0.1 at a free port; unconfigured (as on a speaker node) or
 * with a TOML config file (as a route reflector). {@link #client()} talks to it.
 */
public final class GobgpdProcess extends ChildProcess {
  static final Duration START_DEADLINE = Duration.ofSeconds(20);
  private final int apiPort;
  private final GobgpClient client;

  private GobgpdProcess(Process process, Path log, int apiPort) {
    super("gobgpd", process, log);
    this.apiPort = apiPort;
    this.client = GobgpClient.connect(api(apiPort), Duration.ofSeconds(5));
  }

  public static InetSocketAddress api(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** An unconfigured gobgpd (no BGP instance until StartBgp), its API on a free port. */
  public static GobgpdProcess start(Path dir) throws IOException {
    return start(dir, FreePorts.one(), Optional.empty());
  }

  /** A gobgpd with its API on {@code apiPort}, configured from {@code toml} if given; waits until its API answers. */
  public static GobgpdProcess start(Path dir, int apiPort, Optional<String> toml) throws IOException {
    Path gobgpd = Tools.require("/usr/bin/gobgpd", "/usr/sbin/gobgpd");
    List<String> command = new ArrayList<>(List.of(gobgpd.toString(), "--api-hosts", "127.0.0.1:" + apiPort,
        "--pprof-disable", "-l", "info"));
    if (toml.isPresent()) {
      Path config = Files.writeString(dir.resolve("gobgpd-" + apiPort + ".toml"), toml.get());
      command.addAll(List.of("-f", config.toString()));
    } else {
      command.add("-p"); // no config file: everything comes through the API
    }
    Path log = dir.resolve("gobgpd-" + apiPort + ".log");
    GobgpdProcess p = new GobgpdProcess(launch(command, log, dir), log, apiPort);
    try {
      Poll.until(START_DEADLINE, () -> "gobgpd's API on 127.0.0.1:" + apiPort + " (log: " + p.log() + ")", () -> {
        try {
          Optional<GlobalSettings> g = p.client.global();
          return toml.isEmpty() || g.isPresent();
        } catch (GobgpException e) {
          return false;
        }
      });
    } catch (RuntimeException | AssertionError e) {
      p.close();
      throw e;
    }
    return p;
  }

  public int apiPort() {
    return apiPort;
  }

  public InetSocketAddress api() {
    return api(apiPort);
  }

  public GobgpClient client() {
    return client;
  }

  /** The routes this gobgpd originated itself (added through its API). */
  public List<Route> localRoutes() {
    return paths().stream().filter(RibPath::isLocal).map(RibPath::route).toList();
  }

  /** Every path of its global RIB. */
  public List<RibPath> paths() {
    try {
      return client.paths();
    } catch (GobgpException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public List<PeerStatus> peers() {
    try {
      return client.peers();
    } catch (GobgpException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Stops the daemon and the client. */
  public void shutdown() {
    client.close();
    stop();
  }
}
