package org.example.lb.lab;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the lab runs from: env LB_ROOT (set by bin/lab), system property repo.root, or the working directory upwards. */
public final class ProjectRoot {
  private ProjectRoot() {}

  public static Path find() {
    String env = System.getenv("LB_ROOT");
    if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env, "bin"))) {
      return Path.of(env).toAbsolutePath();
    }
    String property = System.getProperty("repo.root");
    if (property != null && !property.isBlank() && Files.isDirectory(Path.of(property, "bin"))) {
      return Path.of(property).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("bin/lab")) && Files.isRegularFile(dir.resolve("lab/topology.yaml"))) {
        return dir;
      }
    }
    throw new LabFailure("cannot find the project checkout (set LB_ROOT or run from inside it)");
  }

  /** The default topology: {@code lab/topology.yaml}. */
  public static Path defaultTopology() {
    return find().resolve("lab/topology.yaml");
  }
}
