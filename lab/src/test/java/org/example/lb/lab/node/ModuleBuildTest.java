package org.example.lb.lab.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleBuildTest {
  @TempDir
  Path repo;

  private Path file(String relative, long modifiedMillis) throws Exception {
    Path f = repo.resolve(relative);
    Files.createDirectories(f.getParent());
    Files.writeString(f, relative);
    Files.setLastModifiedTime(f, FileTime.fromMillis(modifiedMillis));
    return f;
  }

  @Test
  void aJarOlderThanAnEditInCommonIsStaleUntilMarkedBuilt() throws Exception {
    long t = System.currentTimeMillis() - 60_000;
    file("bgp-speaker/target/bgp-speaker.jar", t);
    file("bgp-speaker/src/main/java/A.java", t - 10_000);
    assertThat(ModuleBuild.stale(repo, "bgp-speaker")).isFalse();

    file("common/src/main/java/Shared.java", t + 10_000); // edited after the jar; Maven keeps the jar as it was
    assertThat(ModuleBuild.stale(repo, "bgp-speaker")).isTrue();
    ModuleBuild.markBuilt(repo, List.of("bgp-speaker"));
    assertThat(ModuleBuild.stale(repo, "bgp-speaker")).as("what the launchers check in each node").isFalse();
  }

  @Test
  void aMissingJarIsStale() {
    assertThat(ModuleBuild.stale(repo, "dns-tier")).isTrue();
  }
}
