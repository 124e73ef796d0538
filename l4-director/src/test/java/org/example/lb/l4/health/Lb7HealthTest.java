package org.example.lb.l4.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.example.lb.common.health.CheckScheduler;
import org.example.lb.common.health.ProbeResult;
import org.example.lb.common.test.ManualCheckScheduler;
import org.example.lb.common.test.NginxServer;
import org.example.lb.common.test.Poll;
import org.example.lb.l4.forward.BackendState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Lb7Health} against a real nginx playing an LB7's HAProxy on 127.0.0.1: {@code /healthcheck} answers 503
 * while a maintenance flag file exists, as the LB7's HAProxy does in maintenance. A second "LB7" on 127.0.0.2 has
 * nothing listening (connections refused).
 */
class Lb7HealthTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  /** Allowance for scheduling on a loaded machine in the real-time test, on top of interval × fall. */
  private static final Duration SLACK = Duration.ofSeconds(2);

  @TempDir
  Path dir;
  NginxServer nginx;
  Path maintenance;
  Lb7Health health;
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));

  @BeforeEach
  void startNginx() throws Exception {
    maintenance = dir.resolve("maintenance");
    nginx = NginxServer.startHttp(dir.resolve("lb7-a"), "lb7-a", """
        location = /healthcheck { if (-f %s) { return 503; } return 200 "ok\\n"; }
        """.formatted(maintenance));
  }

  @AfterEach
  void stop() {
    if (health != null) {
      health.close();
    }
    nginx.stop();
  }

  private Lb7Health start(boolean startAllDown, Duration interval, Duration timeout, CheckScheduler scheduler)
      throws Exception {
    Lb7HealthConfig config = new Lb7HealthConfig(nginx.port(), null, interval, timeout, 2, 2, startAllDown);
    health = Lb7Health.start(config, Map.of("a", InetAddress.getByName("127.0.0.1"),
        "b", InetAddress.getByName("127.0.0.2")), clock, scheduler, Executors.newVirtualThreadPerTaskExecutor(),
        (name, from, to, detail) -> events.add(name + " " + from + ">" + to + " (" + detail + ")"));
    return health;
  }

  /** Moves time by {@code by} and waits until each of {@code names} has counted a new HTTP and TCP result. */
  private void round(ManualCheckScheduler time, Duration by, String... names) {
    Map<String, Lb7Status> before = health.status();
    time.advance(by);
    Poll.until(WAIT, () -> "new results for " + List.of(names) + "; status " + health.status(), () -> {
      Map<String, Lb7Status> now = health.status();
      for (String n : names) {
        if (same(now.get(n).http(), before.get(n).http()) || same(now.get(n).tcp(), before.get(n).tcp())) {
          return false;
        }
      }
      return true;
    });
  }

  private static boolean same(Optional<ProbeResult> a, Optional<ProbeResult> b) {
    return a.orElse(null) == b.orElse(null);
  }

  /** The events of one LB7 as "FROM>TO", without details. */
  private List<String> transitions(String name) {
    synchronized (events) {
      return events.stream().filter(e -> e.startsWith(name + " ")).map(e -> e.split(" ")[1]).toList();
    }
  }

  @Test
  void startingAllDownAnLb7GoesUpThenDrainsOn503ThenGoesDownWhenDead() throws Exception {
    ManualCheckScheduler time = new ManualCheckScheduler();
    start(true, INTERVAL, Duration.ofMillis(500), time);
    Instant t0 = clock.instant();
    assertThat(health.state("a")).hasValue(BackendState.DOWN);
    assertThat(health.state("b")).hasValue(BackendState.DOWN);

    round(time, Duration.ZERO, "a", "b"); // 1 success of 2
    assertThat(health.state("a")).hasValue(BackendState.DOWN);
    Lb7Status a = health.status().get("a");
    assertThat(a.http().orElseThrow().detail()).isEqualTo("HTTP 200");
    assertThat(a.tcp().orElseThrow().detail()).isEqualTo("connected");
    assertThat(a.since()).isEqualTo(t0);
    assertThat(health.status().get("b").tcp().orElseThrow().detail()).isEqualTo("connect refused");

    Instant t1 = clock.advance(INTERVAL);
    round(time, INTERVAL, "a", "b"); // rise 2: up
    Poll.until(WAIT, () -> "a UP, events " + events, () -> health.state("a").equals(Optional.of(BackendState.UP)));
    assertThat(health.status().get("a").since()).isEqualTo(t1);

    Files.writeString(maintenance, "");
    round(time, INTERVAL, "a", "b"); // 1 failure of 2
    assertThat(health.state("a")).hasValue(BackendState.UP);
    round(time, INTERVAL, "a", "b");
    assertThat(health.state("a")).hasValue(BackendState.DRAINING);
    assertThat(health.status().get("a").http().orElseThrow().detail()).isEqualTo("HTTP 503");

    nginx.stop();
    round(time, INTERVAL, "a", "b");
    assertThat(health.state("a")).hasValue(BackendState.DRAINING);
    round(time, INTERVAL, "a", "b");
    assertThat(health.state("a")).hasValue(BackendState.DOWN);

    Poll.until(WAIT, () -> "the last event, got " + events, () -> transitions("a").contains("DRAINING>DOWN"));
    assertThat(transitions("a")).containsExactly("DOWN>UP", "UP>DRAINING", "DRAINING>DOWN");
    assertThat(events).filteredOn(e -> e.startsWith("a DOWN>UP"))
        .containsExactly("a DOWN>UP (http HTTP 200, tcp connected)");
    assertThat(events).filteredOn(e -> e.startsWith("a UP>DRAINING"))
        .containsExactly("a UP>DRAINING (http HTTP 503, tcp connected)");
    assertThat(events).filteredOn(e -> e.startsWith("a DRAINING>DOWN"))
        .containsExactly("a DRAINING>DOWN (http connect refused, tcp connect refused)");
    assertThat(transitions("b")).as("b never came up").isEmpty();
    assertThat(health.status().get("b").json()).containsEntry("state", "DOWN").containsEntry("address", "127.0.0.2");
  }

  @Test
  void realTimeDrainingAndDownEachWithinIntervalTimesFall() throws Exception {
    Duration interval = Duration.ofMillis(200);
    Duration withinFall = interval.multipliedBy(2).plus(SLACK);
    start(false, interval, Duration.ofMillis(100), CheckScheduler.system());
    assertThat(health.state("a")).hasValue(BackendState.UP);
    assertThat(health.state("b")).as("starts UP without startAllDown").hasValue(BackendState.UP);

    Poll.until(withinFall, () -> "b DOWN, events " + events,
        () -> health.state("b").equals(Optional.of(BackendState.DOWN)));
    assertThat(health.state("a")).hasValue(BackendState.UP);

    Files.writeString(maintenance, "");
    Poll.until(withinFall, () -> "a DRAINING, events " + events,
        () -> health.state("a").equals(Optional.of(BackendState.DRAINING)));

    nginx.stop();
    Poll.until(withinFall, () -> "a DOWN, events " + events,
        () -> health.state("a").equals(Optional.of(BackendState.DOWN)));
    Poll.until(WAIT, () -> "the DOWN event, got " + events, () -> transitions("a").contains("DRAINING>DOWN"));
    assertThat(transitions("a")).containsExactly("UP>DRAINING", "DRAINING>DOWN");
    assertThat(transitions("b")).as("both checks fail in the same rounds: never DRAINING").containsExactly("UP>DOWN");

    health.close();
    int seen = events.size();
    assertThat(health.status()).isEmpty();
    assertThat(events).hasSize(seen);
  }

  @Test
  void retargetKeepsUnchangedLb7sStartsNewOnesAndForgetsRemovedOnes() throws Exception {
    ManualCheckScheduler time = new ManualCheckScheduler();
    start(false, INTERVAL, Duration.ofMillis(500), time);
    round(time, Duration.ZERO, "a", "b");
    Lb7Status aBefore = health.status().get("a");

    health.retarget(Map.of("a", InetAddress.getByName("127.0.0.1"), "c", InetAddress.getByName("127.0.0.3")));
    assertThat(health.status().keySet()).containsExactly("a", "c");
    assertThat(health.status().get("a")).isSameAs(aBefore);
    assertThat(health.state("c")).hasValue(BackendState.UP);
    assertThat(health.state("b")).isEmpty();

    round(time, Duration.ZERO, "c");
    round(time, INTERVAL, "a", "c");
    assertThat(health.state("c")).hasValue(BackendState.DOWN);
    assertThat(health.state("a")).hasValue(BackendState.UP);
    round(time, INTERVAL, "a", "c");
    Poll.until(WAIT, () -> "c's event, got " + events, () -> !transitions("c").isEmpty());
    assertThat(transitions("b")).as("b was removed before it fell: no event").isEmpty();
    assertThat(transitions("c")).containsExactly("UP>DOWN");

    health.retarget(Map.of("a", InetAddress.getByName("127.0.0.2")));
    assertThat(health.status().keySet()).containsExactly("a");
    assertThat(health.status().get("a").address()).isEqualTo(InetAddress.getByName("127.0.0.2"));
    assertThat(health.status().get("a").http()).as("a new address starts over").isEmpty();
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    Instant advance(Duration by) {
      now = now.plus(by);
      return now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
