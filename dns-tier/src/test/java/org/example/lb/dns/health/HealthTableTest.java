package org.example.lb.dns.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.example.lb.common.test.ManualCheckScheduler;
import org.example.lb.common.test.Poll;
import org.example.lb.dns.CapturedLog;
import org.example.lb.dns.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring core without sockets: static monitors, extfiles (gdnsd-plugin-extfile(8): direct and monitor mode,
 * bad lines, half-written files) and admin_state overrides (gdnsd(8) "ADMIN STATE FILE"). Time is the test's
 * ({@link ManualCheckScheduler}); file changes are waited for by polling the published snapshot.
 */
class HealthTableTest {
  static final Duration DEADLINE = Duration.ofSeconds(10);
  @TempDir Path dir;
  private final ManualCheckScheduler scheduler = new ManualCheckScheduler();
  private HealthTable table;
  private Path ext;

  @BeforeEach
  void start() throws Exception {
    ext = dir.resolve("ext");
    Files.createDirectories(ext);
    table = HealthTable.start(dir.resolve("admin_state"), scheduler, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    table.close();
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private MonitorSpec spec(String address, String typeName, ServiceType type) {
    return new MonitorSpec(ip(address), typeName, type, ext);
  }

  static ServiceType extfile(String file, boolean direct, Duration interval, int up, int ok, int down, Long defTtl,
      boolean defDown) {
    return new ServiceType(ServiceType.Plugin.EXTFILE, 0, null, Optional.empty(), null, interval, null, up, ok, down,
        file, direct, defDown, defTtl, null, null);
  }

  static ServiceType fixed(String state, Long ttl) {
    return new ServiceType(ServiceType.Plugin.STATIC, 0, null, Optional.empty(), null, null, null, 0, 0, 0, null,
        null, null, null, state, ttl);
  }

  private HealthState state(String monitor) {
    return table.snapshot().monitors().get(monitor).effective();
  }

  private void until(String monitor, HealthState expected) {
    Poll.until(DEADLINE, () -> monitor + " to be " + expected + ", is " + table.snapshot().monitors().get(monitor),
        () -> table.snapshot().monitors().containsKey(monitor) && state(monitor).equals(expected));
  }

  @Test
  void staticMonitorsHaveTheirStateAtOnce() throws Exception {
    table.add(List.of(spec("192.0.2.1", "up", ServiceType.UP), spec("192.0.2.2", "down", ServiceType.DOWN),
        spec("192.0.2.3", "fix", fixed("down", 120L))), Set.of()).get(5, TimeUnit.SECONDS);
    assertThat(state("192.0.2.1/up")).isEqualTo(HealthState.UP);
    assertThat(state("192.0.2.2/down")).isEqualTo(HealthState.DOWN);
    assertThat(state("192.0.2.3/fix")).isEqualTo(HealthState.down(120));
    assertThat(table.snapshot().monitors().get("192.0.2.3/fix").lastCheck()).isEqualTo("static");
    assertThat(table.snapshot().stateOf("192.0.2.9/up")).as("not monitored").isEqualTo(HealthState.UP);
  }

  @Test
  void aDirectExtfileAppliesItsStatesAndTtlsAsSoonAsItChanges() throws Exception {
    TestFiles.replace(ext.resolve("www"), "192.0.2.1 => UP/100\n192.0.2.2 => DOWN/50\n");
    ServiceType type = extfile("www", true, Duration.ofSeconds(10), 0, 0, 0, 600L, false);
    table.add(List.of(spec("192.0.2.1", "ext", type), spec("192.0.2.2", "ext", type), spec("192.0.2.3", "ext", type),
        spec("2001:DB8::1", "ext", type)), Set.of()).get(5, TimeUnit.SECONDS);
    assertThat(state("192.0.2.1/ext")).isEqualTo(HealthState.up(100));
    assertThat(state("192.0.2.2/ext")).isEqualTo(HealthState.down(50));
    assertThat(state("192.0.2.3/ext")).as("not in the file: UP by default, defTtl").isEqualTo(HealthState.up(600));
    assertThat(table.snapshot().monitors().get("192.0.2.3/ext").lastCheck()).contains("not in the file");

    TestFiles.replace(ext.resolve("www"), "192.0.2.1 => DOWN\n2001:db8:0::1 => DOWN/5\n192.0.2.2 => UP\n"
        + "192.0.2.2 => DOWN/9\n");
    until("192.0.2.1/ext", HealthState.down(600));
    assertThat(state("2001:db8::1/ext")).as("addresses compared as addresses").isEqualTo(HealthState.down(5));
    assertThat(state("192.0.2.2/ext")).as("the last line wins").isEqualTo(HealthState.down(9));
  }

  @Test
  void aBadLineIsLoggedOnceWithFileAndLineAndTheOtherLinesApply() throws Exception {
    ServiceType type = extfile("www", true, Duration.ofSeconds(10), 0, 0, 0, null, false);
    try (CapturedLog log = CapturedLog.of(ExtFile.class)) {
      TestFiles.replace(ext.resolve("www"), "192.0.2.1 => DOWN/30\nbogus line\n192.0.2.2 => SIDEWAYS\n"
          + "www.example.org => UP\n192.0.2.3 => UP/40\n");
      table.add(List.of(spec("192.0.2.1", "ext", type), spec("192.0.2.2", "ext", type),
          spec("192.0.2.3", "ext", type)), Set.of()).get(5, TimeUnit.SECONDS);
      assertThat(state("192.0.2.1/ext")).isEqualTo(HealthState.down(30));
      assertThat(state("192.0.2.2/ext")).as("its line skipped: the default").isEqualTo(HealthState.UP);
      assertThat(state("192.0.2.3/ext")).isEqualTo(HealthState.up(40));
      assertThat(table.badLines()).isEqualTo(3);
      Path file = ext.resolve("www");
      assertThat(log.lines()).contains(
          "WARNING " + file + ":2: \"bogus line\" (expected: KEY => UP or DOWN, optionally /TTL); line skipped",
          "WARNING " + file + ":3: 192.0.2.2: \"SIDEWAYS\" (expected: UP or DOWN, optionally /TTL); line skipped",
          "WARNING " + file + ":4: www.example.org: not an IP address (expected: ADDRESS => UP or DOWN, optionally "
              + "/TTL); line skipped");
      assertThat(log.lines().stream().filter(l -> l.contains(":2: "))).as("once").hasSize(1);
    }
  }

  @Test
  void aVersionWithoutAFinalNewlineIsHeldBackUntilItIsCompleteOrHasSettledForASecond() throws Exception {
    ServiceType type = extfile("www", true, Duration.ofSeconds(10), 0, 0, 0, null, false);
    Path file = ext.resolve("www");
    TestFiles.replace(file, "192.0.2.1 => DOWN\n192.0.2.2 => UP\n");
    table.add(List.of(spec("192.0.2.1", "ext", type), spec("192.0.2.2", "ext", type)), Set.of())
        .get(5, TimeUnit.SECONDS);
    assertThat(state("192.0.2.1/ext")).isEqualTo(HealthState.DOWN);

    TestFiles.replace(file, "192.0.2.1 => UP\n192.0.2.2 => DO"); // the writer is not done
    Poll.until(DEADLINE, "the unfinished version to be held back", () -> scheduler.pending() == 1);
    assertThat(state("192.0.2.1/ext")).isEqualTo(HealthState.DOWN);
    assertThat(state("192.0.2.2/ext")).isEqualTo(HealthState.UP);
    TestFiles.replace(file, "192.0.2.1 => UP\n192.0.2.2 => DOWN\n");
    until("192.0.2.2/ext", HealthState.DOWN);
    assertThat(state("192.0.2.1/ext")).isEqualTo(HealthState.UP);
    assertThat(scheduler.pending()).as("finished: nothing waits any more").isZero();

    TestFiles.replace(file, "192.0.2.1 => DOWN"); // printf without a newline: no writer will finish it
    Poll.until(DEADLINE, "the unfinished version to be held back", () -> scheduler.pending() == 1);
    assertThat(state("192.0.2.1/ext")).isEqualTo(HealthState.UP);
    assertThat(table.halfWrittenFiles()).isZero();
    assertThat(scheduler.advance(StateFile.SETTLE)).isEqualTo(1);
    until("192.0.2.1/ext", HealthState.DOWN);
    assertThat(state("192.0.2.2/ext")).as("not in the file any more").isEqualTo(HealthState.UP);
    assertThat(table.halfWrittenFiles()).as("read as it was, a second later").isEqualTo(1);

    Files.delete(file);
    Poll.until(DEADLINE, "the removal to be held back", () -> scheduler.pending() == 1);
    assertThat(state("192.0.2.1/ext")).as("a removal waits: a writer may create the file again").isEqualTo(
        HealthState.DOWN);
    assertThat(scheduler.advance(StateFile.SETTLE)).isEqualTo(1);
    until("192.0.2.1/ext", HealthState.UP);
    assertThat(table.snapshot().monitors().get("192.0.2.1/ext").lastCheck()).isEqualTo("extfile: no file, default UP/MAX");
  }

  @Test
  void anEmptiedOrRemovedExtfileEndsWhatItForcedAndARemovalUndoneInTimeChangesNothing() throws Exception {
    ServiceType type = extfile("www", true, Duration.ofSeconds(10), 0, 0, 0, null, false);
    Path file = ext.resolve("www");
    TestFiles.replace(file, "192.0.2.1 => DOWN\n");
    table.add(List.of(spec("192.0.2.1", "ext", type)), Set.of()).get(5, TimeUnit.SECONDS);
    assertThat(state("192.0.2.1/ext")).isEqualTo(HealthState.DOWN);

    Files.writeString(file, ""); // `: > /etc/lb/ext`: maintenance over
    Poll.until(DEADLINE, "the empty version to be held back", () -> scheduler.pending() == 1);
    assertThat(scheduler.advance(StateFile.SETTLE)).isEqualTo(1);
    until("192.0.2.1/ext", HealthState.UP);
    assertThat(table.halfWrittenFiles()).as("an empty file is not half-written").isZero();

    TestFiles.replace(file, "192.0.2.1 => DOWN\n");
    until("192.0.2.1/ext", HealthState.DOWN);
    Files.delete(file);
    Poll.until(DEADLINE, "the removal to be held back", () -> scheduler.pending() == 1);
    TestFiles.replace(file, "192.0.2.1 => DOWN\n"); // removed, then written again: the same version
    Poll.until(DEADLINE, "the removal to be forgotten", () -> scheduler.pending() == 0);
    assertThat(scheduler.advance(StateFile.SETTLE)).isZero();
    assertThat(state("192.0.2.1/ext")).isEqualTo(HealthState.DOWN);
  }

  @Test
  void aRewriteThatTruncatesFirstIsAppliedOnceWholeWithItsNewContent() throws Exception {
    ServiceType type = extfile("www", true, Duration.ofSeconds(10), 0, 0, 0, 60L, false);
    Path file = ext.resolve("www");
    TestFiles.replace(file, "192.0.2.1 => DOWN\n");
    table.add(List.of(spec("192.0.2.1", "ext", type), spec("192.0.2.2", "ext", type)), Set.of())
        .get(5, TimeUnit.SECONDS);
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    table.subscribe(s -> seen.add(s.stateOf("192.0.2.1/ext") + " " + s.stateOf("192.0.2.2/ext")))
        .get(5, TimeUnit.SECONDS);

    Files.writeString(file, ""); // what `echo ... > file` leaves until the shell writes
    Poll.until(DEADLINE, "the empty version to be held back", () -> scheduler.pending() == 1);
    Files.writeString(file, "192.0.2.2 => DOWN\n");
    until("192.0.2.2/ext", HealthState.down(60));
    assertThat(seen).as("never the empty file's defaults, never half of the new version")
        .containsExactly("DOWN/60 UP/60", "UP/60 DOWN/60");
    assertThat(table.halfWrittenFiles()).isZero();
    assertThat(scheduler.advance(StateFile.SETTLE)).as("the held-back version forgotten").isZero();
  }

  @Test
  void anExtfileGivenByAnAbsolutePathIsWatchedWhereItIsAmongOtherFiles() throws Exception {
    // the lab's layout: /etc/lb/dns-tier.yaml with `file: /etc/lb/ext`, a file where relative names' directory would be
    Path lb = dir.resolve("lb");
    Files.createDirectories(lb);
    Files.writeString(lb.resolve("dns-tier.yaml"), "node: T1\n");
    Path file = lb.resolve("ext");
    Files.writeString(file, "198.51.100.2 => DOWN\n");
    ServiceType type = extfile(file.toString(), true, Duration.ofSeconds(10), 0, 0, 0, null, false);
    MonitorSpec one = new MonitorSpec(ip("198.51.100.1"), "ext", type, lb.resolve("ext"));
    MonitorSpec two = new MonitorSpec(ip("198.51.100.2"), "ext", type, lb.resolve("ext"));
    table.add(List.of(one, two), Set.of()).get(5, TimeUnit.SECONDS);
    assertThat(state("198.51.100.2/ext")).isEqualTo(HealthState.DOWN);
    assertThat(state("198.51.100.1/ext")).isEqualTo(HealthState.UP);

    Files.writeString(file, "198.51.100.1 => DOWN\n"); // echo ... > /etc/lb/ext
    until("198.51.100.1/ext", HealthState.DOWN);
    assertThat(state("198.51.100.2/ext")).isEqualTo(HealthState.UP);
    Files.delete(file);
    Files.writeString(file, "198.51.100.1 => UP\n");
    until("198.51.100.1/ext", HealthState.UP);
  }

  @Test
  void aChangedExtfileServiceTypeIsReadWithItsNewSettings() throws Exception {
    TestFiles.replace(ext.resolve("www"), "# nothing listed\n");
    ServiceType up = extfile("www", true, Duration.ofSeconds(10), 0, 0, 0, null, false);
    table.add(List.of(spec("192.0.2.1", "ext", up), spec("192.0.2.2", "ext", up)), Set.of())
        .get(5, TimeUnit.SECONDS);
    assertThat(state("192.0.2.1/ext")).isEqualTo(HealthState.UP);
    ServiceType down = extfile("www", true, Duration.ofSeconds(10), 0, 0, 0, 30L, true);
    table.add(List.of(spec("192.0.2.1", "ext", down), spec("192.0.2.2", "ext", down)), Set.of())
        .get(5, TimeUnit.SECONDS);
    assertThat(state("192.0.2.1/ext")).as("defDown now").isEqualTo(HealthState.down(30));
    assertThat(state("192.0.2.2/ext")).isEqualTo(HealthState.down(30));
  }

  @Test
  void aMonitorModeExtfileIsReadEveryIntervalAndCountedWithGdnsdsThresholds() throws Exception {
    ServiceType type = extfile("mon", false, Duration.ofSeconds(2), 3, 2, 2, null, false);
    TestFiles.replace(ext.resolve("mon"), "192.0.2.1 => UP/100\n192.0.2.2 => DOWN/100\n");
    table.add(List.of(spec("192.0.2.1", "mon", type), spec("192.0.2.2", "mon", type)), Set.of())
        .get(5, TimeUnit.SECONDS);
    // gdnsd 3.8.1 with the same file and thresholds: "initialized to UP/4", "DOWN/6" (TTLs in the file ignored)
    assertThat(state("192.0.2.1/mon")).isEqualTo(HealthState.up(4));
    assertThat(state("192.0.2.2/mon")).isEqualTo(HealthState.down(6));

    TestFiles.replace(ext.resolve("mon"), "192.0.2.1 => DOWN\n192.0.2.2 => UP\n");
    tick();
    assertThat(state("192.0.2.1/mon")).isEqualTo(HealthState.up(2));
    assertThat(state("192.0.2.2/mon")).isEqualTo(HealthState.down(4));
    assertThat(table.snapshot().monitors().get("192.0.2.1/mon").progress()).isEqualTo("1/2 failures");
    tick();
    assertThat(state("192.0.2.1/mon")).isEqualTo(HealthState.down(6));
    assertThat(state("192.0.2.2/mon")).isEqualTo(HealthState.down(2));
    tick();
    assertThat(state("192.0.2.2/mon")).isEqualTo(HealthState.up(4));
  }

  /** One interval of the monitor-mode timer, and its results published (or nothing, when nothing was counted). */
  private void tick() throws Exception {
    assertThat(scheduler.advance(Duration.ofSeconds(2))).isEqualTo(1);
    table.add(List.of(), Set.of()).get(5, TimeUnit.SECONDS); // after the tick's task on the table's executor
  }

  @Test
  void aMonitorModeExtfileCountsNothingWhileItIsMissingOrUnfinished() throws Exception {
    ServiceType type = extfile("mon", false, Duration.ofSeconds(2), 3, 2, 2, null, false);
    Path file = ext.resolve("mon");
    TestFiles.replace(file, "192.0.2.1 => UP\n");
    table.add(List.of(spec("192.0.2.1", "mon", type)), Set.of()).get(5, TimeUnit.SECONDS);
    TestFiles.replace(file, "192.0.2.1 => DOWN\n");
    tick();
    assertThat(table.snapshot().monitors().get("192.0.2.1/mon").progress()).isEqualTo("1/2 failures");
    try (CapturedLog log = CapturedLog.of(ExtFile.class)) {
      Files.delete(file);
      tick();
      tick();
      assertThat(log.lines()).filteredOn(l -> l.contains("removed")).hasSize(1);
    }
    assertThat(state("192.0.2.1/mon")).as("gdnsd: no updates applied").isEqualTo(HealthState.up(2));
    assertThat(table.snapshot().monitors().get("192.0.2.1/mon").progress()).isEqualTo("1/2 failures");
    TestFiles.replace(file, "192.0.2.1 => DOWN"); // a writer at work, or one that never ends its line
    tick();
    assertThat(state("192.0.2.1/mon")).as("held back a round").isEqualTo(HealthState.up(2));
    tick();
    assertThat(state("192.0.2.1/mon")).as("still there: read as it is").isEqualTo(HealthState.down(6));
  }

  @Test
  void adminStateForcesMatchingMonitorsAndResourcesInOrderAndItsRemovalClearsThem() throws Exception {
    ServiceType fix = fixed("up", 77L);
    table.add(List.of(spec("192.0.2.1", "up", ServiceType.UP), spec("192.0.2.1", "fix", fix),
        spec("192.0.2.2", "up", ServiceType.UP), spec("192.0.2.2", "fix", fix)), Set.of("multifo/www"))
        .get(5, TimeUnit.SECONDS);
    Path admin = dir.resolve("admin_state");
    try (CapturedLog log = CapturedLog.of(HealthTable.class)) {
      TestFiles.replace(admin, """
          192.0.2.1/* => DOWN/40   # every service type of .1
          */fix => UP/30           # later lines override earlier ones
          192.0.2.2/up => DOWN
          multifo/w* => DOWN/20
          192.0.2.99/* => UP
          """);
      Poll.until(DEADLINE, "the overrides", () -> table.snapshot().monitors().get("192.0.2.2/up").forced()
          .isPresent());
      assertThat(log.lines()).anyMatch(l -> l.startsWith("WARNING " + admin + ":5: 192.0.2.99/* matches nothing"));
    }
    HealthSnapshot s = table.snapshot();
    assertThat(s.monitors().get("192.0.2.1/up").effective()).isEqualTo(HealthState.down(40));
    assertThat(s.monitors().get("192.0.2.1/up").real()).isEqualTo(HealthState.UP);
    assertThat(s.monitors().get("192.0.2.1/up").stateText()).isEqualTo("DOWN!");
    assertThat(s.monitors().get("192.0.2.1/fix").effective()).isEqualTo(HealthState.up(30));
    assertThat(s.monitors().get("192.0.2.1/fix").stateText()).isEqualTo("UP!");
    assertThat(s.monitors().get("192.0.2.2/up").effective()).isEqualTo(HealthState.DOWN);
    assertThat(s.monitors().get("192.0.2.2/fix").forced()).contains(HealthState.up(30));
    assertThat(s.forcedResource("multifo/www")).contains(HealthState.down(20));

    try (CapturedLog log = CapturedLog.of(AdminStateFile.class)) {
      TestFiles.replace(admin, "192.0.2.1/* => UP\n192.0.2.2/up => MAYBE\n");
      Poll.until(DEADLINE, "the rejection", () -> table.adminStateRejected() == 1);
      assertThat(log.lines()).filteredOn(l -> l.startsWith("WARNING")).containsExactly("WARNING " + admin + ":2: 192.0.2.2/up: \"MAYBE\" (expected: UP or "
          + "DOWN, optionally /TTL); the whole file is ignored, forced states unchanged");
    }
    assertThat(state("192.0.2.1/up")).as("as gdnsd: nothing of a bad file applies").isEqualTo(HealthState.down(40));

    Files.delete(admin);
    Poll.until(DEADLINE, "the removal to be held back", () -> scheduler.pending() == 1);
    assertThat(state("192.0.2.1/up")).as("a removal waits: a writer may create the file again").isEqualTo(
        HealthState.down(40));
    assertThat(scheduler.advance(StateFile.SETTLE)).isEqualTo(1);
    until("192.0.2.1/up", HealthState.UP);
    assertThat(table.snapshot().forcedResources()).isEmpty();
    assertThat(table.snapshot().monitors().values()).allMatch(m -> m.forced().isEmpty());
  }

  @Test
  void anAdminStateFileTruncatedIsHeldBackAndEmptyForASecondForcesNothing() throws Exception {
    table.add(List.of(spec("192.0.2.1", "up", ServiceType.UP)), Set.of()).get(5, TimeUnit.SECONDS);
    Path admin = dir.resolve("admin_state");
    TestFiles.replace(admin, "192.0.2.1/up => DOWN\n");
    until("192.0.2.1/up", HealthState.DOWN);
    Files.writeString(admin, ""); // `>` has truncated it; the writer has not written yet
    Poll.until(DEADLINE, "the empty version to be held back", () -> scheduler.pending() == 1);
    assertThat(state("192.0.2.1/up")).isEqualTo(HealthState.DOWN);
    assertThat(scheduler.advance(StateFile.SETTLE)).isEqualTo(1);
    until("192.0.2.1/up", HealthState.UP); // empty for a second: an empty file, nothing forced (as gdnsd)
  }

  @Test
  void aMonitorListedTwiceIsMonitoredOnceAndRetainStopsTheOthers() throws Exception {
    MonitorSpec a = spec("192.0.2.1", "up", ServiceType.UP);
    MonitorSpec b = spec("192.0.2.2", "up", ServiceType.UP);
    table.add(List.of(a, b, a), Set.of()).get(5, TimeUnit.SECONDS);
    assertThat(table.snapshot().monitors()).hasSize(2);
    table.retain(List.of(b), Set.of()).get(5, TimeUnit.SECONDS);
    assertThat(table.snapshot().monitors().keySet()).containsExactly("192.0.2.2/up");
    MonitorSpec changed = spec("192.0.2.2", "up", ServiceType.DOWN);
    table.add(List.of(changed), Set.of()).get(5, TimeUnit.SECONDS);
    assertThat(state("192.0.2.2/up")).as("a changed service type starts a new monitor").isEqualTo(HealthState.DOWN);
  }
}
