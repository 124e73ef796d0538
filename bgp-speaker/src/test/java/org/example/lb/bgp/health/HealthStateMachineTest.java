package org.example.lb.bgp.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.example.lb.bgp.health.HealthStateMachine.Position;
import org.example.lb.bgp.health.HealthStateMachine.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthStateMachineTest {
  private static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Duration FAST = Duration.ofSeconds(2);

  private static HealthStateMachine machine(int rise, int fall, boolean withdrawOnDown) {
    return new HealthStateMachine(new HealthSettings(INTERVAL, FAST, null, rise, fall, null, withdrawOnDown,
        100L, 50L, null));
  }

  /** {@code W}, {@code A100}: withdraw or announce with a MED. */
  private static Advertisement advertisement(String text) {
    return text.equals("W") ? Advertisement.withdraw() : Advertisement.announce(Long.parseLong(text.substring(1)));
  }

  private static Observation observation(char c) {
    return switch (c) {
      case '+' -> Observation.PASSED;
      case '-' -> Observation.FAILED;
      case 'D' -> Observation.DISABLED;
      default -> throw new IllegalArgumentException("observation " + c);
    };
  }

  /**
   * Every state (and RISING/FALLING just below and at the edge of rise 3 / fall 3) under every observation, with
   * DOWN announcing med+increase (withdrawOnDown false) and withdrawing (true). Columns: from state, its checks,
   * its advertisement, observation (+ pass, - fail, D disable file present), withdrawOnDown, then the expected
   * state, checks, advertisement and pause before the next round (F fast, N normal).
   */
  @ParameterizedTest(name = "{0}({1}) {2} {3} wod={4} -> {5}({6}) {7} {8}")
  @CsvSource({
      // INIT: nothing announced yet
      "INIT,     0, W,    +, false, RISING,   1, W,    F",
      "INIT,     0, W,    -, false, FALLING,  1, W,    F",
      "INIT,     0, W,    D, false, DISABLED, 0, W,    N",
      // INIT after DISABLED keeps DISABLED's withdrawal
      "INIT,     0, A100, +, false, RISING,   1, A100, F",
      // DISABLED: the file gone → INIT whatever the check said; still present → stays
      "DISABLED, 0, W,    +, false, INIT,     0, W,    F",
      "DISABLED, 0, W,    -, false, INIT,     0, W,    F",
      "DISABLED, 0, W,    D, false, DISABLED, 0, W,    N",
      // RISING: counts passes, a failure turns it to FALLING(1); the previous advertisement stays
      "RISING,   1, W,    +, false, RISING,   2, W,    F",
      "RISING,   2, W,    +, false, UP,       0, A100, N",
      "RISING,   2, A150, +, false, UP,       0, A100, N",
      "RISING,   2, W,    -, false, FALLING,  1, W,    F",
      "RISING,   1, A100, -, false, FALLING,  1, A100, F",
      "RISING,   2, A100, D, false, DISABLED, 0, W,    N",
      // FALLING: counts failures, a pass turns it to RISING(1)
      "FALLING,  1, A100, -, false, FALLING,  2, A100, F",
      "FALLING,  2, A100, -, false, DOWN,     0, A150, N",
      "FALLING,  2, A100, -, true,  DOWN,     0, W,    N",
      "FALLING,  2, A100, +, false, RISING,   1, A100, F",
      "FALLING,  1, W,    +, false, RISING,   1, W,    F",
      "FALLING,  1, A100, D, false, DISABLED, 0, W,    N",
      // UP
      "UP,       0, A100, +, false, UP,       0, A100, N",
      "UP,       0, A100, -, false, FALLING,  1, A100, F",
      "UP,       0, A100, D, false, DISABLED, 0, W,    N",
      // DOWN
      "DOWN,     0, A150, -, false, DOWN,     0, A150, N",
      "DOWN,     0, W,    -, true,  DOWN,     0, W,    N",
      "DOWN,     0, A150, +, false, RISING,   1, A150, F",
      "DOWN,     0, W,    +, true,  RISING,   1, W,    F",
      "DOWN,     0, A150, D, false, DISABLED, 0, W,    N",
      // EXIT is final
      "EXIT,     0, W,    +, false, EXIT,     0, W,    N",
      "EXIT,     0, W,    D, false, EXIT,     0, W,    N",
  })
  void stepsLikeExaBgpHealthcheck(HealthState from, int checks, String advertised, char observed,
      boolean withdrawOnDown, HealthState to, int toChecks, String toAdvertised, char pause) {
    Step step = machine(3, 3, withdrawOnDown).step(new Position(from, checks, advertisement(advertised)),
        observation(observed));

    assertThat(step.to()).isEqualTo(new Position(to, toChecks, advertisement(toAdvertised)));
    if (to != HealthState.EXIT) {
      assertThat(step.nextRound()).isEqualTo(pause == 'F' ? FAST : INTERVAL);
    }
    assertThat(step.stateChanged()).isEqualTo(from != to);
    assertThat(step.advertisementChanged()).isEqualTo(!advertised.equals(toAdvertised));
  }

  /** Runs observations from INIT; returns the states after each, with checks when counting: RISING2. */
  private static List<String> trace(HealthStateMachine m, String observations) {
    Position p = m.initial();
    List<String> states = new ArrayList<>();
    for (char c : observations.toCharArray()) {
      p = m.step(p, observation(c)).to();
      states.add(p.state() + (p.checks() == 0 ? "" : String.valueOf(p.checks())));
    }
    return states;
  }

  @ParameterizedTest(name = "rise {0} fall {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      // rise counts the first pass out of INIT: exactly `rise` passes make UP
      "3 | 3 | +++     | RISING1 RISING2 UP",
      "3 | 3 | ---     | FALLING1 FALLING2 DOWN",
      // one short of the edge stays counting
      "3 | 3 | ++      | RISING1 RISING2",
      "2 | 4 | +-+-    | RISING1 FALLING1 RISING1 FALLING1",
      // rise/fall 1: the shortcut straight to UP / DOWN
      "1 | 1 | +-+-    | UP DOWN UP DOWN",
      "1 | 3 | -+      | FALLING1 UP",
      "3 | 1 | +-      | RISING1 DOWN",
      // a failure while RISING restarts the count towards fall, a pass while FALLING towards rise
      "3 | 3 | ++-++-- | RISING1 RISING2 FALLING1 RISING1 RISING2 FALLING1 FALLING2",
      // flapping while UP never reaches DOWN, but leaves UP for RISING and must pass rise times again
      "2 | 3 | ++-+-+- | RISING1 UP FALLING1 RISING1 FALLING1 RISING1 FALLING1",
      "2 | 3 | ++-++   | RISING1 UP FALLING1 RISING1 UP",
      // UP needs fall consecutive failures; DOWN needs rise consecutive passes
      "2 | 2 | ++--++  | RISING1 UP FALLING1 DOWN RISING1 UP",
      // disable at any point, then back through INIT (whose round's result is ignored)
      "2 | 2 | ++D+++  | RISING1 UP DISABLED INIT RISING1 UP",
      "2 | 2 | +D-++   | RISING1 DISABLED INIT RISING1 UP",
      "2 | 2 | -D-D--  | FALLING1 DISABLED INIT DISABLED INIT FALLING1",
      "2 | 2 | DD+     | DISABLED DISABLED INIT",
  })
  void countsRiseAndFallAcrossSequences(int rise, int fall, String observations, String expected) {
    assertThat(trace(machine(rise, fall, false), observations.strip()))
        .containsExactly(expected.strip().split(" "));
  }

  @Test
  void flapWhileUpKeepsTheUpAnnouncementUntilDown() {
    HealthStateMachine m = machine(2, 3, false);
    Position p = m.initial();
    List<Advertisement> seen = new ArrayList<>();
    for (char c : "++-+-+---".toCharArray()) {
      p = m.step(p, observation(c)).to();
      seen.add(p.advertisement());
    }
    Advertisement up = Advertisement.announce(100);
    assertThat(seen).containsExactly(Advertisement.withdraw(), up, up, up, up, up, up, up,
        Advertisement.announce(150));
    assertThat(p.state()).isEqualTo(HealthState.DOWN);
  }

  @Test
  void exitWithdrawsFromEveryState() {
    HealthStateMachine m = machine(3, 3, false);
    for (HealthState s : HealthState.values()) {
      Step step = m.exit(new Position(s, 0, Advertisement.announce(100)));
      assertThat(step.to()).isEqualTo(new Position(HealthState.EXIT, 0, Advertisement.withdraw()));
      assertThat(step.advertisementChanged()).isTrue();
    }
  }

  @Test
  void startsInInitWithNothingAnnounced() {
    assertThat(machine(3, 3, false).initial())
        .isEqualTo(new Position(HealthState.INIT, 0, Advertisement.withdraw()));
  }
}
