package org.example.lb.bgp.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.example.lb.common.test.ManualCheckScheduler;
import org.example.lb.common.test.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthCheckTest {
  private static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Duration FAST = Duration.ofSeconds(2);
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
  private static final Advertisement UP_MED = Advertisement.announce(100);
  private static final Advertisement DOWN_MED = Advertisement.announce(150);

  @TempDir Path dir;
  private Path healthy;
  private Path disable;
  private Path hookLog;
  private final ManualCheckScheduler time = new ManualCheckScheduler();
  private final List<StateChange> changes = Collections.synchronizedList(new ArrayList<>());
  private HealthCheck check;
  private Optional<ProcessHandle> leftover = Optional.empty();

  @BeforeEach
  void files() throws IOException {
    healthy = dir.resolve("healthy");
    disable = dir.resolve("flags/disable");
    hookLog = dir.resolve("hooks.log");
    Files.createDirectories(disable.getParent());
  }

  @AfterEach
  void stop() {
    if (check != null) {
      check.close();
    }
    leftover.ifPresent(ProcessHandle::destroyForcibly);
  }

  private HealthSettings settings(Hooks hooks) {
    return new HealthSettings(INTERVAL, FAST, TIMEOUT, 3, 2, disable, false, 100L, 50L, hooks);
  }

  /** A real check: {@code test -e healthy}; the test creates and deletes the file. */
  private HealthSource fileExists() {
    return HealthSource.command(List.of("/bin/sh", "-c", "test -e " + healthy + " && echo present"),
        Duration.ofSeconds(5));
  }

  private void start(HealthSettings settings, HealthSource source) {
    check = HealthCheck.start("test", settings, source, time, Clock.fixed(NOW, ZoneOffset.UTC), changes::add);
  }

  private void awaitChecks(long n) {
    Poll.until(WAIT, () -> n + " checks run, status " + check.status(), () -> check.status().checksRun() >= n);
  }

  /** Asserts that the next round is due exactly {@code pause} after the last, lets it run and waits for its end. */
  private void nextRoundAfter(Duration pause) {
    long before = check.status().checksRun();
    assertThat(check.status().nextRoundIn()).isEqualTo(pause);
    assertThat(time.advance(pause.minusMillis(1))).as("rounds run before " + pause).isZero();
    assertThat(time.advance(Duration.ofMillis(1))).as("rounds run at " + pause).isEqualTo(1);
    awaitChecks(before + 1);
  }

  /**
   * Waits until the listener has been told of a change to {@code state}: the status is published before the
   * listener runs, so a poll on {@link HealthCheck#status()} alone may see the state before the change is recorded.
   */
  private void awaitChangeTo(HealthState state) {
    Poll.until(WAIT, () -> "a change to " + state + ", changes " + changes + ", status " + check.status(),
        () -> {
          synchronized (changes) {
            return !changes.isEmpty() && changes.getLast().to() == state;
          }
        });
  }

  private StateChange lastChange() {
    synchronized (changes) {
      return changes.getLast();
    }
  }

  private void assertState(HealthState state, int checks, Advertisement advertisement) {
    HealthStatus s = check.status();
    assertThat(s.state()).as("state, status " + s).isEqualTo(state);
    assertThat(s.checks()).as("checks, status " + s).isEqualTo(checks);
    assertThat(s.advertisement()).as("advertisement, status " + s).isEqualTo(advertisement);
  }

  private String hookLines() {
    try {
      return Files.exists(hookLog) ? Files.readString(hookLog) : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void risesAfterRisePassesAndFallsAfterFallFailuresAtTheFastIntervalInBetween() throws IOException {
    Files.createFile(healthy);
    start(settings(null), fileExists());

    awaitChecks(1); // the first round runs at once
    assertState(HealthState.RISING, 1, Advertisement.withdraw());
    nextRoundAfter(FAST);
    assertState(HealthState.RISING, 2, Advertisement.withdraw());
    nextRoundAfter(FAST);
    assertState(HealthState.UP, 0, UP_MED);
    assertThat(check.status().lastResult()).hasValueSatisfying(r -> assertThat(r.detail()).isEqualTo("exit 0: present"));
    assertThat(check.status().consecutivePasses()).isEqualTo(3);
    nextRoundAfter(INTERVAL);
    assertState(HealthState.UP, 0, UP_MED);

    Files.delete(healthy);
    nextRoundAfter(INTERVAL);
    assertState(HealthState.FALLING, 1, UP_MED); // still announced while falling
    nextRoundAfter(FAST);
    assertState(HealthState.DOWN, 0, DOWN_MED);
    awaitChangeTo(HealthState.DOWN);
    assertThat(check.status().consecutiveFailures()).isEqualTo(2);
    assertThat(check.status().lastResult()).hasValueSatisfying(r -> assertThat(r.detail()).isEqualTo("exit 1"));
    nextRoundAfter(INTERVAL);
    assertState(HealthState.DOWN, 0, DOWN_MED);

    assertThat(changes).extracting(c -> c.from() + ">" + c.to() + " " + c.advertisement()
        + (c.advertisementChanged() ? " *" : "")).containsExactly(
        "INIT>RISING withdraw",
        "RISING>UP announce med 100 *",
        "UP>FALLING announce med 100",
        "FALLING>DOWN announce med 150 *");
    assertThat(lastChange().reason()).isEqualTo("exit 1");
    assertThat(lastChange().at()).isEqualTo(NOW);
    assertThat(check.status().checksRun()).isEqualTo(7);
  }

  @Test
  void theDisableFileWithdrawsAtOnceAndItsRemovalRisesAgainThroughInit() throws IOException {
    Files.createFile(healthy);
    start(settings(null), fileExists());
    awaitChecks(1);
    nextRoundAfter(FAST);
    nextRoundAfter(FAST);
    assertState(HealthState.UP, 0, UP_MED);
    long checksBefore = check.status().checksRun();

    Files.createFile(disable); // no time passes: the file watch starts the round
    awaitChangeTo(HealthState.DISABLED);
    assertState(HealthState.DISABLED, 0, Advertisement.withdraw());
    assertThat(lastChange()).extracting(StateChange::from, StateChange::advertisement, StateChange::reason)
        .containsExactly(HealthState.UP, Advertisement.withdraw(), "disable file " + disable + " present");
    assertThat(check.status().checksRun()).as("no check runs while disabled").isEqualTo(checksBefore);
    assertThat(check.status().nextRoundIn()).isEqualTo(INTERVAL);
    time.advance(INTERVAL); // a regular round while disabled changes nothing and runs no check
    Poll.until(WAIT, "the round's next timer", () -> time.pending() == 1);
    assertState(HealthState.DISABLED, 0, Advertisement.withdraw());
    assertThat(check.status().checksRun()).isEqualTo(checksBefore);

    Files.delete(disable);
    awaitChecks(checksBefore + 1); // at once again: the check runs, its result ignored
    assertState(HealthState.INIT, 0, Advertisement.withdraw());
    nextRoundAfter(FAST);
    assertState(HealthState.RISING, 1, Advertisement.withdraw());
    nextRoundAfter(FAST);
    nextRoundAfter(FAST);
    assertState(HealthState.UP, 0, UP_MED);
    awaitChangeTo(HealthState.UP);
    assertThat(changes).extracting(StateChange::to).containsExactly(HealthState.RISING, HealthState.UP,
        HealthState.DISABLED, HealthState.INIT, HealthState.RISING, HealthState.UP);
  }

  @Test
  void startingWithTheDisableFilePresentRunsNoCheckAndAnnouncesNothing() throws IOException {
    Files.createFile(healthy);
    Files.createFile(disable);
    start(settings(null), fileExists());
    awaitChangeTo(HealthState.DISABLED);
    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.advertisement()).isEqualTo(Advertisement.withdraw());
      assertThat(c.advertisementChanged()).isFalse();
    });
    assertThat(check.status().checksRun()).isZero();
  }

  @Test
  void theDisableFileActsAtOnceEvenWhileACheckHangsWhichIsKilled() throws IOException {
    Path pidFile = dir.resolve("check.pid");
    start(settings(null), HealthSource.command(List.of("/bin/sh", "-c", "echo $$ > " + pidFile + "; exec sleep 30"),
        Duration.ofSeconds(30)));
    Poll.until(WAIT, "the check to start", () -> readPid(pidFile).isPresent());
    long pid = readPid(pidFile).orElseThrow();
    leftover = ProcessHandle.of(pid);

    Files.createFile(disable);
    awaitChangeTo(HealthState.DISABLED);
    Poll.until(WAIT, "the abandoned check's process (pid " + pid + ") killed",
        () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    assertThat(check.status().checksRun()).isZero();
  }

  @Test
  void aCheckStillRunningAtTheTimeoutIsAbandonedAndCountsAsFailed() throws IOException {
    Path pidFile = dir.resolve("check.pid");
    start(settings(null), HealthSource.command(List.of("/bin/sh", "-c", "echo $$ > " + pidFile + "; exec sleep 30"),
        Duration.ofSeconds(30)));
    Poll.until(WAIT, "the check to start", () -> readPid(pidFile).isPresent());
    long pid = readPid(pidFile).orElseThrow();
    leftover = ProcessHandle.of(pid);

    assertThat(time.advance(TIMEOUT.minusMillis(1))).isZero();
    assertThat(time.advance(Duration.ofMillis(1))).isEqualTo(1);
    awaitChecks(1);
    assertState(HealthState.FALLING, 1, Advertisement.withdraw());
    assertThat(check.status().lastResult())
        .hasValueSatisfying(r -> assertThat(r.detail()).isEqualTo("no result within timeout 3s"));
    Poll.until(WAIT, "the abandoned check's process (pid " + pid + ") killed",
        () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void hooksRunOnEachChangeWithTheStateInTheEnvironment() throws IOException {
    Files.createFile(healthy);
    Hooks hooks = new Hooks(List.of("echo \"any $STATE\" >> " + hookLog),
        List.of("echo \"up $STATE\" >> " + hookLog), List.of("echo \"down $STATE\" >> " + hookLog),
        List.of("echo \"disabled $STATE\" >> " + hookLog), Duration.ofSeconds(5));
    HealthSettings s = new HealthSettings(INTERVAL, FAST, TIMEOUT, 1, 1, disable, false, 100L, 50L, hooks);
    start(s, fileExists());
    awaitChecks(1);
    assertState(HealthState.UP, 0, UP_MED); // rise 1: INIT → UP at once
    Files.delete(healthy);
    nextRoundAfter(INTERVAL);
    assertState(HealthState.DOWN, 0, DOWN_MED);
    Files.createFile(disable);
    Poll.until(WAIT, "DISABLED", () -> check.status().state() == HealthState.DISABLED);

    String expected = "up UP\nany UP\ndown DOWN\nany DOWN\ndisabled DISABLED\nany DISABLED\n";
    Poll.until(WAIT, () -> "hooks to write " + expected + ", got " + hookLines(),
        () -> hookLines().equals(expected));
  }

  @Test
  void aHangingHookNeitherBlocksTheStateMachineNorTheHooksAfterIt() throws IOException {
    Files.createFile(healthy);
    Path hookPid = dir.resolve("hook.pid");
    Hooks hooks = new Hooks(List.of("echo \"$STATE\" >> " + hookLog),
        List.of("echo $$ > " + hookPid + "; exec sleep 30"), null, null, Duration.ofMillis(300));
    HealthSettings s = new HealthSettings(INTERVAL, FAST, TIMEOUT, 1, 1, disable, false, 100L, 50L, hooks);
    start(s, fileExists());
    awaitChecks(1);
    Files.delete(healthy);
    nextRoundAfter(INTERVAL); // the UP hook still sleeps: the machine goes on
    assertState(HealthState.DOWN, 0, DOWN_MED);

    Poll.until(WAIT, () -> "the hooks after the hanging one, got " + hookLines(),
        () -> hookLines().equals("UP\nDOWN\n"));
    long pid = readPid(hookPid).orElseThrow();
    Poll.until(WAIT, "the hanging hook (pid " + pid + ") killed at its timeout",
        () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void closeWithdrawsInExitAndStopsTheRounds() throws IOException {
    Files.createFile(healthy);
    start(new HealthSettings(INTERVAL, FAST, TIMEOUT, 1, 1, disable, false, 100L, 50L, null), fileExists());
    awaitChecks(1);
    assertState(HealthState.UP, 0, UP_MED);

    check.close();
    assertState(HealthState.EXIT, 0, Advertisement.withdraw());
    assertThat(lastChange()).extracting(StateChange::from, StateChange::to, StateChange::advertisement,
        StateChange::advertisementChanged, StateChange::reason)
        .containsExactly(HealthState.UP, HealthState.EXIT, Advertisement.withdraw(), true, "stopped");
    assertThat(time.pending()).isZero();
    Files.createFile(disable); // nothing watches any more
    time.advance(INTERVAL.multipliedBy(3));
    assertThat(check.status().checksRun()).isEqualTo(1);
    assertThat(changes).hasSize(2);
  }

  @Test
  void followsTheDirectorsQuorum() {
    try (CannedStatusServer director = new CannedStatusServer()) {
      director.answer(200, CannedStatusServer.status(true, true));
      start(new HealthSettings(INTERVAL, FAST, TIMEOUT, 2, 2, disable, true, 100L, 50L, null),
          HealthSource.directorQuorum(director.uri()));
      awaitChecks(1);
      nextRoundAfter(FAST);
      assertState(HealthState.UP, 0, UP_MED);

      director.answer(200, CannedStatusServer.status(false, true)); // shutting down
      nextRoundAfter(INTERVAL);
      nextRoundAfter(FAST);
      assertState(HealthState.DOWN, 0, Advertisement.withdraw()); // withdrawOnDown
      assertThat(lastChange().reason()).isEqualTo("director not serving (shutting down)");
    }
  }

  private static Optional<Long> readPid(Path pidFile) {
    try {
      String text = Files.exists(pidFile) ? Files.readString(pidFile) : "";
      return text.endsWith("\n") ? Optional.of(Long.parseLong(text.strip())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
