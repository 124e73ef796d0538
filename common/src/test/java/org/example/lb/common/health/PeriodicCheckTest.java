package org.example.lb.common.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.example.lb.common.test.ManualCheckScheduler;
import org.example.lb.common.test.NginxServer;
import org.example.lb.common.test.Poll;
import org.example.lb.common.test.SilentListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeriodicCheckTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final CheckSettings SETTINGS = new CheckSettings(INTERVAL, Duration.ofMillis(500), 2, 2, false);

  /** What the listener saw, one string per call: {@code +U}, {@code -D*} (result, state, * on a change). */
  private static final class Recorder implements PeriodicCheck.Listener {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger concurrent = new AtomicInteger();
    volatile boolean overlapped;

    @Override
    public void checked(ProbeResult result, boolean up, boolean changed) {
      if (concurrent.incrementAndGet() > 1) {
        overlapped = true;
      }
      calls.add((result.ok() ? "+" : "-") + (up ? "U" : "D") + (changed ? "*" : ""));
      concurrent.decrementAndGet();
    }

    List<String> await(int n) {
      Poll.until(WAIT, () -> n + " listener calls, got " + calls, () -> calls.size() >= n);
      synchronized (calls) {
        return List.copyOf(calls);
      }
    }
  }

  /** Answers from a script, one result per run ('+' pass, '-' fail), counting the runs. */
  private static final class ScriptedProbe implements Probe {
    final Queue<Character> script = new ArrayDeque<>();
    final AtomicInteger runs = new AtomicInteger();

    ScriptedProbe(String results) {
      for (char c : results.toCharArray()) {
        script.add(c);
      }
    }

    @Override
    public synchronized ProbeResult run(Duration timeout) {
      runs.incrementAndGet();
      Character c = script.poll();
      return c != null && c == '+' ? ProbeResult.passed("HTTP 200", Duration.ZERO)
          : ProbeResult.failed("HTTP 503", Duration.ZERO);
    }
  }

  @Test
  void probesOncePerIntervalAndDeliversResultsAndTransitionsInOrder() {
    ManualCheckScheduler time = new ManualCheckScheduler();
    ScriptedProbe probe = new ScriptedProbe("+--++-+");
    Recorder recorder = new Recorder();
    try (PeriodicCheck check = PeriodicCheck.start("t", probe, SETTINGS, time,
        Executors.newVirtualThreadPerTaskExecutor(), recorder)) {
      assertThat(time.runDue()).as("the first probe starts at once").isEqualTo(1);
      recorder.await(1);
      for (int i = 2; i <= 7; i++) {
        assertThat(time.advance(INTERVAL.minusMillis(1))).as("nothing before the interval").isZero();
        assertThat(time.advance(Duration.ofMillis(1))).isEqualTo(1);
        recorder.await(i);
      }
      assertThat(recorder.await(7)).containsExactly("+U", "-U", "-D*", "+D", "+U*", "-U", "+U");
      assertThat(probe.runs).hasValue(7);
      assertThat(check.isUp()).isTrue();
      assertThat(check.lastResult()).hasValueSatisfying(r -> assertThat(r.ok()).isTrue());
      assertThat(recorder.overlapped).isFalse();
    }
  }

  @Test
  void startingDownNeedsRiseSuccesses() {
    ManualCheckScheduler time = new ManualCheckScheduler();
    Recorder recorder = new Recorder();
    CheckSettings alpha = new CheckSettings(INTERVAL, null, 3, 2, true);
    try (PeriodicCheck check = PeriodicCheck.start("t", new ScriptedProbe("+++"), alpha, time,
        Runnable::run, recorder)) {
      assertThat(check.isUp()).isFalse();
      assertThat(check.lastResult()).isEmpty();
      time.runDue();
      recorder.await(1);
      time.advance(INTERVAL);
      recorder.await(2);
      time.advance(INTERVAL);
      assertThat(recorder.await(3)).containsExactly("+D", "+D", "+U*");
      assertThat(check.isUp()).isTrue();
    }
  }

  @Test
  void aProbeStillRunningWhenTheNextIsDueMakesThatOneSkipped() throws Exception {
    ManualCheckScheduler time = new ManualCheckScheduler();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    Probe stuck = timeout -> {
      runs.incrementAndGet();
      try {
        release.await(); // a probe that ignores its timeout
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ProbeResult.passed("late", Duration.ZERO);
    };
    Recorder recorder = new Recorder();
    try (PeriodicCheck check = PeriodicCheck.start("t", stuck, SETTINGS, time, Runnable::run, recorder)) {
      time.runDue();
      Poll.until(WAIT, "the first probe runs", () -> runs.get() == 1);
      time.advance(INTERVAL);
      time.advance(INTERVAL);
      assertThat(check.overruns()).isEqualTo(2);
      assertThat(runs).hasValue(1);
      release.countDown();
      recorder.await(1);
      // Each poll moves time on: a probe started by one may finish and let the next one start before runs is read.
      Poll.until(WAIT, "the probe thread is done and the next probe runs", () -> {
        time.advance(INTERVAL);
        return runs.get() >= 2;
      });
    }
  }

  @Test
  void aProbeThatThrowsCountsAsAFailure() {
    ManualCheckScheduler time = new ManualCheckScheduler();
    Recorder recorder = new Recorder();
    CheckSettings fallOne = new CheckSettings(INTERVAL, null, 1, 1, false);
    try (PeriodicCheck check = PeriodicCheck.start("t", timeout -> {
      throw new IllegalStateException("bug");
    }, fallOne, time, Runnable::run, recorder)) {
      time.runDue();
      assertThat(recorder.await(1)).containsExactly("-D*");
      assertThat(check.lastResult().orElseThrow().detail()).isEqualTo("probe error: java.lang.IllegalStateException: bug");
    }
  }

  @Test
  void closeCancelsTheTimerAndInterruptsARunningProbe() throws Exception {
    ManualCheckScheduler time = new ManualCheckScheduler();
    Recorder recorder = new Recorder();
    Set<Thread> probeThreads = ConcurrentHashMap.newKeySet();
    try (SilentListener hung = SilentListener.start()) {
      Probe http = Probe.httpGet(hung.address(), "/healthcheck");
      CheckSettings slow = new CheckSettings(Duration.ofMinutes(2), Duration.ofMinutes(1), 1, 1, false);
      PeriodicCheck check = PeriodicCheck.start("t", timeout -> {
        probeThreads.add(Thread.currentThread());
        return http.run(timeout);
      }, slow, time, Runnable::run, recorder);
      time.runDue();
      Poll.until(WAIT, "the probe is connected and waiting", () -> hung.accepted() == 1);
      check.close();
      assertThat(probeThreads).hasSize(1).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
      assertThat(time.pending()).isZero();
      assertThat(time.advance(Duration.ofMinutes(10))).isZero();
      assertThat(recorder.calls).as("no result after close").isEmpty();
      check.close(); // idempotent
    }
  }

  @Test
  void followsARealNginxDownWithTheSystemScheduler(@TempDir Path dir) throws Exception {
    NginxServer nginx = NginxServer.startHttp(dir, "checked", "location = /healthcheck { return 200; }");
    Recorder recorder = new Recorder();
    Set<Thread> probeThreads = ConcurrentHashMap.newKeySet();
    CheckSettings fast = new CheckSettings(Duration.ofMillis(100), Duration.ofMillis(50), 2, 2, false);
    Probe http = Probe.httpGet(new InetSocketAddress(InetAddress.getLoopbackAddress(), nginx.port()), "/healthcheck");
    PeriodicCheck check = PeriodicCheck.start("nginx", timeout -> {
      probeThreads.add(Thread.currentThread());
      return http.run(timeout);
    }, fast, CheckScheduler.system(), Executors.newVirtualThreadPerTaskExecutor(), recorder);
    try {
      recorder.await(3);
      assertThat(check.isUp()).isTrue();
      nginx.stop();
      Poll.until(WAIT, () -> "a transition to down, got " + recorder.calls, () -> recorder.calls.contains("-D*"));
      assertThat(check.lastResult().orElseThrow().detail()).isEqualTo("connect refused");
      synchronized (recorder.calls) {
        List<String> calls = recorder.calls;
        int down = calls.indexOf("-D*");
        assertThat(calls.subList(0, down)).allMatch(c -> c.endsWith("U"));
        assertThat(calls.get(down - 1)).isEqualTo("-U");
      }
    } finally {
      check.close();
      nginx.stop();
    }
    int calls = recorder.calls.size();
    Poll.until(WAIT, "every probe thread ended", () -> probeThreads.stream().noneMatch(Thread::isAlive));
    assertThat(recorder.calls).hasSize(calls);
  }
}
