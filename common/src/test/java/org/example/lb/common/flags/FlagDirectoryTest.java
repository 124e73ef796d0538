package org.example.lb.common.flags;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.example.lb.common.test.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagDirectoryTest {
  record Change(String name, Optional<String> content) {}

  @TempDir Path dir;
  private final List<Change> changes = new CopyOnWriteArrayList<>();
  private FlagDirectory flags;

  private FlagDirectory watch(Path directory, Duration rescan) {
    flags = FlagDirectory.watch(directory, rescan, new SerialExecutor(Executors.newVirtualThreadPerTaskExecutor()),
        (name, content) -> changes.add(new Change(name, content)));
    return flags;
  }

  @AfterEach
  void close() {
    if (flags != null) {
      flags.close();
    }
  }

  @Test
  void reportsPresentFilesAtStartThenEachChange() throws Exception {
    Files.writeString(dir.resolve("disable"), "");
    watch(dir, Duration.ofSeconds(30)); // long rescan: changes below arrive through the WatchService
    Poll.until(Duration.ofSeconds(5), "initial report", () -> changes.contains(new Change("disable", Optional.of(""))));
    Files.writeString(dir.resolve("agent-check"), "drain\n");
    Poll.until(Duration.ofSeconds(5), "create", () -> changes.contains(new Change("agent-check", Optional.of("drain\n"))));
    Files.writeString(dir.resolve("agent-check"), "up\n");
    Poll.until(Duration.ofSeconds(5), "modify", () -> changes.contains(new Change("agent-check", Optional.of("up\n"))));
    Files.delete(dir.resolve("disable"));
    Poll.until(Duration.ofSeconds(5), "delete", () -> changes.contains(new Change("disable", Optional.empty())));
  }

  @Test
  void sameContentRewrittenIsNotReportedAgain() throws Exception {
    Files.writeString(dir.resolve("f"), "a");
    watch(dir, Duration.ofMillis(50));
    Poll.until(Duration.ofSeconds(5), "first", () -> changes.size() == 1);
    // Rewritten atomically: a plain write truncates first, and a scan may then see (and report) the empty file,
    // which is what consumers of half-written files must tolerate (see truncatedFileIsReportedAsItIs).
    Files.writeString(dir.resolve(".f.tmp"), "a");
    Files.move(dir.resolve(".f.tmp"), dir.resolve("f"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("g"), "b"); // a later change proves the scans after the rewrite happened
    Poll.until(Duration.ofSeconds(5), "g", () -> changes.contains(new Change("g", Optional.of("b"))));
    assertThat(changes).filteredOn(c -> c.name().equals("f")).hasSize(1);
  }

  @Test
  void truncatedFileIsReportedAsItIs() throws Exception {
    Files.writeString(dir.resolve("f"), "drain\n");
    watch(dir, Duration.ofSeconds(30));
    Poll.until(Duration.ofSeconds(5), "first", () -> changes.size() == 1);
    Files.writeString(dir.resolve("f"), ""); // what a reader sees between `>` truncating and the shell writing
    Poll.until(Duration.ofSeconds(5), "empty", () -> changes.contains(new Change("f", Optional.of(""))));
  }

  @Test
  void atomicRenameIsSeenAndDotFilesAreIgnored() throws Exception {
    watch(dir, Duration.ofSeconds(30));
    Files.writeString(dir.resolve(".agent-check.tmp"), "maint\n");
    Files.move(dir.resolve(".agent-check.tmp"), dir.resolve("agent-check"), StandardCopyOption.ATOMIC_MOVE);
    Poll.until(Duration.ofSeconds(5), "renamed file", () -> changes.contains(new Change("agent-check", Optional.of("maint\n"))));
    assertThat(changes).noneMatch(c -> c.name().startsWith("."));
  }

  @Test
  void missingDirectoryIsEmptyUntilItAppears() throws Exception {
    Path lb = dir.resolve("lb");
    watch(lb, Duration.ofMillis(50));
    Files.createDirectories(lb);
    Files.writeString(lb.resolve("disable"), "x");
    Poll.until(Duration.ofSeconds(5), "file in new directory", () -> changes.contains(new Change("disable", Optional.of("x"))));
  }

  @Test
  void unreadableFileKeepsItsLastContent() throws Exception {
    if ("root".equals(System.getProperty("user.name"))) {
      // root reads any file; simulate the unreadable case with a directory entry that is not a regular file
      Files.writeString(dir.resolve("f"), "drain");
      watch(dir, Duration.ofMillis(50));
      Poll.until(Duration.ofSeconds(5), "first", () -> changes.size() == 1);
      return;
    }
    Path f = dir.resolve("f");
    Files.writeString(f, "drain");
    watch(dir, Duration.ofMillis(50));
    Poll.until(Duration.ofSeconds(5), "first", () -> changes.size() == 1);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
    Files.writeString(dir.resolve("g"), "later");
    Poll.until(Duration.ofSeconds(5), "g", () -> changes.contains(new Change("g", Optional.of("later"))));
    assertThat(changes).doesNotContain(new Change("f", Optional.empty()));
  }

  @Test
  void largeFilesAreCut() throws Exception {
    Files.writeString(dir.resolve("big"), "x".repeat(FlagDirectory.MAX_BYTES * 2));
    watch(dir, Duration.ofSeconds(30));
    Poll.until(Duration.ofSeconds(5), "big", () -> !changes.isEmpty());
    assertThat(changes.getFirst().content().orElseThrow()).hasSize(FlagDirectory.MAX_BYTES);
  }

  @Test
  void aWatchLimitedToSomeNamesReportsNothingElse() throws Exception {
    Files.writeString(dir.resolve("dns.yaml"), "node: T1\n");
    Files.writeString(dir.resolve("ext"), "192.0.2.1 => DOWN\n");
    flags = FlagDirectory.watch(dir, Duration.ofMillis(50), 1 << 20, "ext"::equals,
        new SerialExecutor(Executors.newVirtualThreadPerTaskExecutor()),
        (name, content) -> changes.add(new Change(name, content)));
    Poll.until(Duration.ofSeconds(5), "ext", () -> changes.contains(new Change("ext", Optional.of("192.0.2.1 => DOWN\n"))));
    Files.writeString(dir.resolve("dns.yaml"), "node: T2\n");
    Files.writeString(dir.resolve("ext"), "192.0.2.1 => UP\n"); // a later change proves the scans happened
    Poll.until(Duration.ofSeconds(5), "ext changed", () -> changes.contains(new Change("ext", Optional.of("192.0.2.1 => UP\n"))));
    assertThat(changes).extracting(Change::name).containsOnly("ext");
  }
}
