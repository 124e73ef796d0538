package org.example.lb.lab.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusWatchTest {
  private static final long SECOND = 1_000_000_000L;
  private static final Instant T0 = Instant.parse("2026-12-05T11:00:00.400Z");

  /** A clock that moves only when the watch pauses or a screen takes time; records every pause's deadline. */
  private final class FakeTime extends Clock {
    long nanos = 7 * SECOND;
    final List<Long> pausedUntil = new ArrayList<>();

    @Override
    public Instant instant() {
      return T0.plusNanos(nanos - 7 * SECOND);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    void pause(long deadline) {
      pausedUntil.add(deadline - 7 * SECOND);
      nanos = Math.max(nanos, deadline);
    }
  }

  private final FakeTime time = new FakeTime();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private StatusWatch watch(long count, StatusWatch.Output output) {
    return StatusWatch.of(Duration.ofSeconds(2), count, output, out, time, () -> time.nanos, time::pause);
  }

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void screensFollowAFixedScheduleAndAScreenTooSlowIsFollowedAtOnceWithoutCatchingUp() {
    Deque<Long> costs = new ArrayDeque<>(List.of(SECOND / 2, 5 * SECOND + SECOND / 2, SECOND / 10, 0L, 0L));
    List<Instant> taken = new ArrayList<>();
    int code = watch(5, StatusWatch.Output.TEXT).run(at -> {
      taken.add(at);
      time.nanos += costs.removeFirst();
      return new StatusWatch.Screen("ok\n", 0);
    });
    assertThat(code).isZero();
    // screen 1 at 0 s took 0.5 s: screen 2 is due at 2 s and took 5.5 s, so screen 3 comes at once (7.5 s) and the
    // schedule restarts from there (9.5 s, 11.5 s) instead of taking the missed ones in a burst
    assertThat(time.pausedUntil).containsExactly(2 * SECOND, 7 * SECOND + SECOND / 2, 9 * SECOND + SECOND / 2,
        11 * SECOND + SECOND / 2);
    assertThat(taken).containsExactly(Instant.parse("2026-12-05T11:00:00Z"), Instant.parse("2026-12-05T11:00:02Z"),
        Instant.parse("2026-12-05T11:00:07Z"), Instant.parse("2026-12-05T11:00:09Z"),
        Instant.parse("2026-12-05T11:00:11Z"));
  }

  @Test
  void textScreensFollowEachOtherUnderTheirTimeAndTheLastExitCodeIsReturned() {
    Deque<StatusWatch.Screen> screens = new ArrayDeque<>(List.of(new StatusWatch.Screen("a\nb\n", 0),
        new StatusWatch.Screen("a\nB!", 1)));
    int code = watch(2, StatusWatch.Output.TEXT).run(at -> screens.removeFirst());
    assertThat(code).isEqualTo(1);
    assertThat(printed()).isEqualTo("# every 2 s, 2026-12-05 11:00:00 UTC\na\nb\n"
        + "# every 2 s, 2026-12-05 11:00:02 UTC\na\nB!\n").doesNotContain("\033");
  }

  @Test
  void onATerminalEachScreenReplacesTheLastAndChangedLinesAreHighlighted() {
    Deque<String> screens = new ArrayDeque<>(List.of("same\nflips UP\n", "same\nflips \033[31mDOWN!\033[0m\nnew\n"));
    watch(2, StatusWatch.Output.TERMINAL).run(at -> new StatusWatch.Screen(screens.removeFirst(), 0));
    String[] shown = printed().split("\033\\[H\033\\[2J", -1);
    assertThat(shown).hasSize(3);
    assertThat(shown[0]).isEmpty();
    assertThat(shown[1]).as("the first screen: nothing to compare with")
        .isEqualTo("every 2 s, 2026-12-05 11:00:00 UTC\n\nsame\nflips UP\n");
    assertThat(shown[2]).isEqualTo("every 2 s, 2026-12-05 11:00:02 UTC\n\nsame\n"
        + "\033[7mflips \033[31mDOWN!\033[0m\033[7m\033[0m\n\033[7mnew\033[0m\n");
  }

  @Test
  void aScreenThatFailsIsShownAsSuchAndTheWatchGoesOn() {
    Deque<Boolean> fails = new ArrayDeque<>(List.of(true, false));
    int code = watch(2, StatusWatch.Output.TEXT).run(at -> {
      if (fails.removeFirst()) {
        throw new java.io.IOException("/run/lb-lab/state.json: truncated");
      }
      return new StatusWatch.Screen("ok\n", 0);
    });
    assertThat(code).isZero();
    assertThat(printed()).contains("! status not taken: /run/lb-lab/state.json: truncated\n").endsWith("ok\n");
  }

  @Test
  void jsonLinesAreOneObjectPerScreenAndAFailureIsAnObjectToo() {
    Deque<Boolean> fails = new ArrayDeque<>(List.of(false, true));
    int code = watch(2, StatusWatch.Output.JSON_LINES).run(at -> {
      if (fails.removeFirst()) {
        throw new java.io.IOException("a \"quoted\" reason");
      }
      return new StatusWatch.Screen("{\"taken\":\"" + at + "\",\"healthy\":true}\n", 0);
    });
    assertThat(code).isEqualTo(1);
    assertThat(printed().lines()).containsExactly("{\"taken\":\"2026-12-05T11:00:00Z\",\"healthy\":true}",
        "{\"taken\":\"2026-12-05T11:00:02Z\",\"error\":\"status not taken: a \\\"quoted\\\" reason\"}");
  }

  @Test
  void anInterruptEndsTheWatchWithTheLastScreensCode() {
    int code = StatusWatch.of(Duration.ofSeconds(2), 0, StatusWatch.Output.TEXT, out, time, () -> time.nanos,
        deadline -> {
          throw new InterruptedException();
        }).run(at -> new StatusWatch.Screen("x\n", 1));
    assertThat(code).isEqualTo(1);
    assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    assertThat(printed()).isEqualTo("# every 2 s, 2026-12-05 11:00:00 UTC (Ctrl-C to stop)\nx\n");
  }

  @Test
  void theIntervalIsWholeSecondsWithinBounds() {
    assertThat(StatusWatch.parseInterval("1")).isEqualTo(Duration.ofSeconds(1));
    assertThat(StatusWatch.parseInterval("3600")).isEqualTo(Duration.ofHours(1));
    for (String bad : new String[] {"0", "3601", "0.5", "-1", "2s", "", "99999"}) {
      assertThatThrownBy(() -> StatusWatch.parseInterval(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--watch " + bad + " (expected: seconds between screens, a whole number from 1 to 3600)");
    }
  }
}
