package org.example.lb.bgp.health;

import java.time.Duration;
import java.util.Objects;

/**
 * ExaBGP healthcheck's state machine, pure: no I/O, no clock, no mutable state. {@link #step} takes where the
 * machine is and what one round observed and returns where it goes, what must be advertised and how long to wait
 * before the next round. Transitions, as in {@code healthcheck.py}'s loop:
 * <ul>
 *   <li>the disable file present → DISABLED from any state (nothing else is looked at);</li>
 *   <li>DISABLED, file gone → INIT (that round's check result is ignored);</li>
 *   <li>INIT: pass → RISING(1), fail → FALLING(1);</li>
 *   <li>RISING(n): pass → RISING(n+1), UP once n+1 ≥ rise; fail → FALLING(1);</li>
 *   <li>FALLING(n): fail → FALLING(n+1), DOWN once n+1 ≥ fall; pass → RISING(1);</li>
 *   <li>UP: fail → FALLING(1); DOWN: pass → RISING(1);</li>
 *   <li>entering RISING(1) with rise ≤ 1 goes straight to UP, FALLING(1) with fall ≤ 1 straight to DOWN.</li>
 * </ul>
 * A flap while UP (FALLING then a pass) goes to RISING and needs {@code rise} passes to be UP again, but the UP
 * announcement stays in force meanwhile: INIT, RISING and FALLING keep the previous advertisement.
 */
final class HealthStateMachine {
  private final HealthSettings settings;

  HealthStateMachine(HealthSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Where the machine is.
   *
   * @param state the state
   * @param checks consecutive rounds counted towards {@code rise} (RISING) or {@code fall} (FALLING); 0 otherwise
   * @param advertisement what is in force
   */
  record Position(HealthState state, int checks, Advertisement advertisement) {
    Position {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(advertisement, "advertisement");
      if (checks < 0) {
        throw new IllegalArgumentException("checks: " + checks + " (expected: 0 or more)");
      }
    }

    @Override
    public String toString() {
      return (checks == 0 ? state.name() : state + "(" + checks + ")") + " " + advertisement;
    }
  }

  /**
   * One transition (possibly to the same state).
   *
   * @param from where the machine was
   * @param to where it is now
   * @param nextRound how long to wait before the next round: the fast interval in INIT, RISING and FALLING, the
   *     interval otherwise (zero in EXIT: there is no next round)
   */
  record Step(Position from, Position to, Duration nextRound) {
    boolean stateChanged() {
      return from.state() != to.state();
    }

    boolean advertisementChanged() {
      return !from.advertisement().equals(to.advertisement());
    }
  }

  /** INIT with nothing announced. */
  Position initial() {
    return new Position(HealthState.INIT, 0, Advertisement.withdraw());
  }

  /** The next position after one round. EXIT is final: it stays EXIT whatever is observed. */
  Step step(Position p, Observation o) {
    Objects.requireNonNull(o, "observation");
    if (p.state() == HealthState.EXIT) {
      return new Step(p, p, Duration.ZERO);
    }
    if (o == Observation.DISABLED) {
      return to(p, HealthState.DISABLED, 0);
    }
    boolean passed = o == Observation.PASSED;
    return switch (p.state()) {
      case DISABLED -> to(p, HealthState.INIT, 0);
      case INIT -> passed ? rising(p, 1) : falling(p, 1);
      case RISING -> passed ? rising(p, p.checks() + 1) : falling(p, 1);
      case FALLING -> passed ? rising(p, 1) : falling(p, p.checks() + 1);
      case UP -> passed ? to(p, HealthState.UP, 0) : falling(p, 1);
      case DOWN -> passed ? rising(p, 1) : to(p, HealthState.DOWN, 0);
      case EXIT -> throw new AssertionError("handled above");
    };
  }

  /** To EXIT: withdrawn (ExaBGP withdraws on exit). */
  Step exit(Position p) {
    return new Step(p, new Position(HealthState.EXIT, 0, Advertisement.withdraw()), Duration.ZERO);
  }

  private Step rising(Position p, int checks) {
    return checks >= settings.rise() ? to(p, HealthState.UP, 0) : to(p, HealthState.RISING, checks);
  }

  private Step falling(Position p, int checks) {
    return checks >= settings.fall() ? to(p, HealthState.DOWN, 0) : to(p, HealthState.FALLING, checks);
  }

  private Step to(Position p, HealthState state, int checks) {
    return new Step(p, new Position(state, checks, advertisement(state, p.advertisement())), interval(state));
  }

  /** What {@code state} advertises; INIT, RISING and FALLING keep {@code previous}. */
  Advertisement advertisement(HealthState state, Advertisement previous) {
    return switch (state) {
      case UP -> Advertisement.announce(settings.med());
      case DOWN -> settings.withdrawOnDown() ? Advertisement.withdraw() : Advertisement.announce(settings.downMed());
      case DISABLED, EXIT -> Advertisement.withdraw();
      case INIT, RISING, FALLING -> previous;
    };
  }

  /** The pause before the round after one that ended in {@code state}. */
  Duration interval(HealthState state) {
    return switch (state) {
      case INIT, RISING, FALLING -> settings.fastInterval();
      case UP, DOWN, DISABLED -> settings.interval();
      case EXIT -> Duration.ZERO;
    };
  }
}
