package org.example.lb.bgp.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.example.lb.common.health.ProbeResult;
import org.example.lb.common.test.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandSourceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private Optional<ProcessHandle> leftover = Optional.empty();

  @AfterEach
  void killLeftover() {
    leftover.ifPresent(ProcessHandle::destroyForcibly);
  }

  @Test
  void passesOnExitZero() {
    ProbeResult r = HealthSource.command(List.of("/bin/true"), TIMEOUT).check();
    assertThat(r).extracting(ProbeResult::ok, ProbeResult::detail).containsExactly(true, "exit 0");
  }

  @Test
  void failsOnNonZeroExit() {
    ProbeResult r = HealthSource.command(List.of("/bin/false"), TIMEOUT).check();
    assertThat(r).extracting(ProbeResult::ok, ProbeResult::detail).containsExactly(false, "exit 1");
  }

  @Test
  void reasonCarriesTheExitStatusAndTheLastLineOfOutputFromStdoutOrStderr() throws IOException {
    Path script = dir.resolve("check.sh");
    Files.writeString(script, """
        #!/bin/sh
        echo "checking pool"
        echo "backend pool empty: 0/3 up" >&2
        echo
        exit 3
        """);
    script.toFile().setExecutable(true);
    ProbeResult r = HealthSource.command(List.of(script.toString()), TIMEOUT).check();
    assertThat(r).extracting(ProbeResult::ok, ProbeResult::detail)
        .containsExactly(false, "exit 3: backend pool empty: 0/3 up");
  }

  @Test
  void killsTheCommandAndItsChildrenAtTheTimeout() throws Exception {
    Path pidFile = dir.resolve("sleep.pid");
    HealthSource slow = HealthSource.command(List.of("/bin/sh", "-c",
        "echo started; sleep 30 & echo $! > " + pidFile + "; wait"), Duration.ofMillis(200));
    AtomicReference<ProbeResult> result = new AtomicReference<>();
    Thread.ofVirtual().start(() -> result.set(slow.check()));

    ProbeResult r = Poll.value(WAIT, "the check to end", result::get);
    assertThat(r.ok()).isFalse();
    assertThat(r.detail()).isEqualTo("killed after timeout 200ms: started");
    long sleepPid = Long.parseLong(Files.readString(pidFile).strip());
    leftover = ProcessHandle.of(sleepPid);
    Poll.until(WAIT, "sleep 30 (pid " + sleepPid + ") killed with its shell",
        () -> ProcessHandle.of(sleepPid).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void anInterruptKillsTheCommandAndFailsAtOnce() throws Exception {
    Path pidFile = dir.resolve("sleep.pid");
    HealthSource slow = HealthSource.command(List.of("/bin/sh", "-c", "echo $$ > " + pidFile + "; exec sleep 30"),
        Duration.ofSeconds(60));
    AtomicReference<ProbeResult> result = new AtomicReference<>();
    Thread checker = Thread.ofVirtual().start(() -> result.set(slow.check()));
    Poll.until(WAIT, "the command to start", () -> Files.exists(pidFile) && pidFileComplete(pidFile));
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    leftover = ProcessHandle.of(pid);

    checker.interrupt();
    ProbeResult r = Poll.value(WAIT, "the check to end", result::get);
    assertThat(r).extracting(ProbeResult::ok, ProbeResult::detail).containsExactly(false, "interrupted");
    Poll.until(WAIT, "sleep (pid " + pid + ") killed",
        () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
  }

  private static boolean pidFileComplete(Path pidFile) {
    try {
      return Files.readString(pidFile).endsWith("\n");
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void failsWhenTheProgramCannotStart() {
    ProbeResult r = HealthSource.command(List.of(dir.resolve("missing").toString()), TIMEOUT).check();
    assertThat(r.ok()).isFalse();
    assertThat(r.detail()).startsWith("cannot run " + dir.resolve("missing") + ": ");
  }

  @Test
  void rejectsAnEmptyCommand() {
    assertThatThrownBy(() -> HealthSource.command(List.of(), TIMEOUT))
        .hasMessage("command: [] (expected: a program and its arguments, such as [/usr/local/bin/check, -q])");
  }
}
