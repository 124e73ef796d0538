package org.example.lb.lab.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.example.lb.lab.LabFailure;
import org.example.lb.lab.netns.Exec;

/**
 * Builds the service modules the lab runs, once and up front, when a jar is missing or older than its sources, so
 * the lab's many JVMs do not each start a build.
 */
public final class ModuleBuild {
  private ModuleBuild() {}

  /** Builds those of {@code modules} (e.g. {@code l7-agent}) whose jar is missing or stale, in one Maven run. */
  public static void ensureBuilt(Path repoRoot, List<String> modules, Consumer<String> log) {
    List<String> stale = modules.stream().filter(m -> stale(repoRoot, m)).toList();
    if (stale.isEmpty()) {
      return;
    }
    String list = String.join(",", stale);
    log.accept("building " + list + " (bin/build -q -pl " + list + " -am package -DskipTests)...");
    List<String> command = new ArrayList<>(List.of(repoRoot.resolve("bin/build").toString(), "-q", "-pl", list, "-am",
        "package", "-DskipTests"));
    Exec.Result result = Exec.run(command, Duration.ofMinutes(10));
    if (!result.ok()) {
      String out = (result.stdout() + result.stderr()).strip();
      String last = out.lines().filter(l -> l.contains("ERROR")).findFirst().orElse(out.lines().reduce("", (a, b) -> b));
      throw new LabFailure("build of " + list + " failed: " + last);
    }
    markBuilt(repoRoot, stale);
  }

  /**
   * Dates each module's jar now: Maven leaves a jar whose classes did not change as it was (an edit in common alone),
   * which would still look older than its sources, and every launcher in the lab would then try to build it again,
   * inside a namespace without the network.
   */
  static void markBuilt(Path repoRoot, List<String> modules) {
    FileTime now = FileTime.fromMillis(System.currentTimeMillis());
    for (String module : modules) {
      try {
        Files.setLastModifiedTime(jar(repoRoot, module), now);
      } catch (IOException e) {
        throw new LabFailure("build of " + module + " left no jar: " + e.getMessage());
      }
    }
  }

  private static Path jar(Path repoRoot, String module) {
    return repoRoot.resolve(module + "/target/" + module + ".jar");
  }

  static boolean stale(Path repoRoot, String module) {
    Path jar = jar(repoRoot, module);
    if (!Files.exists(jar)) {
      return true;
    }
    try {
      long built = Files.getLastModifiedTime(jar).toMillis();
      for (Path dir : List.of(repoRoot.resolve(module + "/src/main"), repoRoot.resolve("common/src/main"))) {
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(dir)) {
          if (files.anyMatch(f -> Files.isRegularFile(f) && lastModified(f) > built)) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static long lastModified(Path f) {
    try {
      return Files.getLastModifiedTime(f).toMillis();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }
}
