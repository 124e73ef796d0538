package org.example.lb.lab.state;

import java.nio.file.Path;

/**
 * Where the lab keeps things on the host.
 *
 * @param stateDir {@code /run/lb-lab}: journal, node directories, generated files
 * @param etcNetns {@code /etc/netns}: per-node files {@code ip netns exec} bind-mounts over /etc
 * @param etcLb    {@code /etc/lb}: must exist on the host as the mount point of each node's flags
 */
public record LabPaths(Path stateDir, Path etcNetns, Path etcLb) {
  public static LabPaths standard() {
    return new LabPaths(Path.of("/run/lb-lab"), Path.of("/etc/netns"), Path.of("/etc/lb"));
  }

  public Path journal() {
    return stateDir.resolve("state.json");
  }

  /** Held while {@code up} or {@code down} runs; outside the state directory so it outlives it. */
  public Path lock() {
    return stateDir.resolveSibling(stateDir.getFileName() + ".lock");
  }

  public Path nodesDir() {
    return stateDir.resolve("nodes");
  }

  public NodeDirs node(String name) {
    return new NodeDirs(nodesDir().resolve(name), etcNetns.resolve(name).resolve("lb"));
  }

  /** Files served by every web server (the 10 MiB download). */
  public Path www() {
    return stateDir.resolve("www");
  }

  /**
   * One node's directories.
   *
   * @param root  {@code /run/lb-lab/nodes/NODE}, holding conf/, log/ and run/
   * @param flags the host path that appears as /etc/lb inside the node
   */
  public record NodeDirs(Path root, Path flags) {
    public Path conf() {
      return root.resolve("conf");
    }

    public Path log() {
      return root.resolve("log");
    }

    public Path run() {
      return root.resolve("run");
    }
  }
}
